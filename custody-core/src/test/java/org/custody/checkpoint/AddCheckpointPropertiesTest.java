package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.TreeHasher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * tlog-witness answers against a model of the protocol, over random request sequences from an honest log and a fork
 * of it (the same first leaves, then others), with right, stale and wrong old sizes and right or wrong proofs: the
 * witness answers exactly what the model says, and what it cosigns never goes back and never mixes the two histories.
 */
class AddCheckpointPropertiesTest {
    private static final int LEAVES = 24;
    private static final NoteSigner LOG = Fixtures.logSigner(SignatureAlgorithm.ED25519);
    private static final MemoryTree HONEST = Fixtures.tree(HashAlgorithm.SHA_256, LEAVES);
    private static final MemoryTree FORK = fork(9);

    private static MemoryTree fork(int common) {
        MemoryTree tree = MemoryTree.create(HashAlgorithm.SHA_256);
        TreeHasher hasher = TreeHasher.of(HashAlgorithm.SHA_256);
        for (int i = 0; i < LEAVES; i++) {
            tree.append(hasher.leafHash(("entry " + i + (i < common ? "" : " forked")).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return tree;
    }

    private static Hash root(MemoryTree tree, long size) {
        return ProofBuilder.of(HashAlgorithm.SHA_256, tree).root(size);
    }

    @Property(tries = 60)
    void witnessAnswers_followTheProtocol_andNeverGoBackOrMixHistories(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 25) int requests) throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("witness-property");
        try (Witness w = Witness.create(dir.resolve("state"), Fixtures.INSPECTOR_1,
                Fixtures.key(SignatureAlgorithm.ED25519, Fixtures.INSPECTOR_1), List.of(LOG.key()),
                new org.custody.testing.SetClock(Instant.parse("2021-06-07T08:00:00Z")))) {
            long known = 0;
            Hash knownRoot = null;
            List<MemoryTree> cosignedFrom = new ArrayList<>();
            List<Long> cosignedSizes = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                MemoryTree tree = rnd.nextInt(4) == 0 ? FORK : HONEST;
                long size = 1 + rnd.nextInt(LEAVES);
                long old = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(LEAVES + 1);
                    default -> known;
                };
                boolean goodProof = rnd.nextInt(5) != 0;
                List<Hash> proof = List.of();
                if (old > 0 && old < size) {
                    proof = goodProof ? ProofBuilder.of(HashAlgorithm.SHA_256, tree).consistency(old, size).hashes()
                            : ProofBuilder.of(HashAlgorithm.SHA_256, tree).consistency(Math.max(1, old - 1), size).hashes();
                }
                byte[] note = LOG.sign(Checkpoint.of(LOG.key().name(), size, root(tree, size)).text()).bytes();
                String expected;
                if (old > size) {
                    expected = "400";
                } else if (old != known) {
                    expected = "409";
                } else if (size == known) {
                    expected = root(tree, size).equals(knownRoot) ? "200" : "409";
                } else if (known == 0) {
                    expected = "200";
                } else {
                    boolean consistent = root(tree, known).equals(knownRoot)
                            && proof.equals(ProofBuilder.of(HashAlgorithm.SHA_256, tree).consistency(known, size).hashes());
                    expected = consistent ? "200" : "422";
                }
                String got;
                try {
                    w.addCheckpoint(new AddCheckpoint(old, proof, note));
                    got = "200";
                } catch (MalformedInputException e) {
                    got = e instanceof MalformedNoteException ? "malformed note" : "400";
                } catch (WitnessConflictException e) {
                    assertEquals(known, e.knownSize());
                    got = "409";
                } catch (WitnessRefusedException e) {
                    got = "422";
                }
                assertEquals(expected, got, "request " + i + ": old " + old + ", size " + size + (tree == FORK ? " (fork)" : "")
                        + ", proof " + (goodProof ? "right" : "wrong") + "; the witness had " + known);
                if (got.equals("200")) {
                    assertTrue(size >= known, "cosigned " + size + " after " + known);
                    known = size;
                    knownRoot = root(tree, size);
                    cosignedFrom.add(tree);
                    cosignedSizes.add(size);
                }
                assertEquals(known, w.latest(LOG.key().name()).map(Checkpoint::size).orElse(0L));
            }
            // everything cosigned is a prefix of one history
            for (MemoryTree candidate : List.of(HONEST, FORK)) {
                boolean all = true;
                for (int i = 0; i < cosignedSizes.size(); i++) {
                    all &= root(cosignedFrom.get(i), cosignedSizes.get(i)).equals(root(candidate, cosignedSizes.get(i)));
                }
                if (all) {
                    return;
                }
            }
            throw new AssertionError("the witness cosigned checkpoints of both histories: " + cosignedSizes);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
