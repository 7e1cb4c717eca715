package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tlog-witness add-checkpoint body (C2SP's example request) and {@link Witness#addCheckpoint}'s answers. */
class AddCheckpointTest {
    /** The example request body of c2sp.org/tlog-witness, byte for byte (checkpoint/tlog-witness-add-checkpoint.txt). */
    static String specExample() throws java.io.IOException {
        try (var in = AddCheckpointTest.class.getResourceAsStream("/checkpoint/tlog-witness-add-checkpoint.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @TempDir
    Path dir;

    @Test
    void theSpecsExampleRequest_parses_andIsWrittenBackByteForByte() throws Exception {
        byte[] body = specExample().getBytes(StandardCharsets.UTF_8);
        AddCheckpoint r = AddCheckpoint.parse(body);
        assertEquals(20852014, r.oldSize());
        assertEquals(4, r.proof().size());
        assertEquals("3e544d0abc07a6a846aeea6e7b42fb8316e36cc88a03db5e9afb996430e991ac", r.proof().get(0).hex());
        SignedNote note = SignedNote.parse(r.checkpoint());
        Checkpoint cp = Checkpoint.parse(note.text());
        assertEquals("example.com/behind-the-sofa", cp.origin());
        assertEquals(20852163, cp.size());
        assertEquals(2, note.signatures().size());
        assertArrayEquals(body, r.bytes());
    }

    @Test
    void malformedRequests_areRefusedNamingTheLine() {
        for (String[] bad : new String[][] {
                {"old 01\n\nx\n", "1"}, {"new 1\n\nx\n", "1"}, {"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n", "3"},
                {"old 5\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax=\n\nx\n", "2"}, {"old 5\nAAAA\n\nx\n", "2"},
                {"old 0\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n\nx\n", "2"}, {"old 99999999999999999999\n\nx\n", "1"}}) {
            MalformedNoteException e = assertThrows(MalformedNoteException.class,
                    () -> AddCheckpoint.parse(bad[0].getBytes(StandardCharsets.UTF_8)), bad[0]);
            assertEquals(Integer.parseInt(bad[1]), e.line(), bad[0] + ": " + e.getMessage());
        }
        StringBuilder tooLong = new StringBuilder("old 5\n");
        tooLong.append("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n".repeat(64)).append("\nx\n");
        assertEquals(65, assertThrows(MalformedNoteException.class,
                () -> AddCheckpoint.parse(tooLong.toString().getBytes(StandardCharsets.UTF_8))).line());
    }

    @Test
    void addCheckpoint_followsTheProtocol_conflictsCarryTheWitnessSize() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        MemoryTree tree = Fixtures.tree(HashAlgorithm.SHA_256, 20);
        ProofBuilder proofs = ProofBuilder.of(HashAlgorithm.SHA_256, tree);
        String origin = log.key().name();
        java.util.function.LongFunction<byte[]> cp = n -> log.sign(Fixtures.checkpoint(origin, HashAlgorithm.SHA_256, tree, n).text()).bytes();
        var clock = new org.custody.testing.SetClock(Instant.parse("2021-06-07T08:00:00Z"));
        try (Witness w = Witness.create(dir.resolve("state"), Fixtures.INSPECTOR_1,
                Fixtures.key(SignatureAlgorithm.ED25519, Fixtures.INSPECTOR_1), List.of(log.key()), clock)) {
            NoteSignature first = w.addCheckpoint(new AddCheckpoint(0, List.of(), cp.apply(5)));
            NoteVerifier.of(List.of(w.key())).verify(SignedNote.parse(cp.apply(5)).withSignature(first));
            // the client does not know the witness's size: 409 with it, then a retry from it succeeds
            WitnessConflictException stale = assertThrows(WitnessConflictException.class,
                    () -> w.addCheckpoint(new AddCheckpoint(0, List.of(), cp.apply(9))));
            assertEquals(5, stale.knownSize());
            NoteSignature second = w.addCheckpoint(new AddCheckpoint(5, proofs.consistency(5, 9).hashes(), cp.apply(9)));
            NoteVerifier.of(List.of(w.key())).verify(SignedNote.parse(cp.apply(9)).withSignature(second));
            // a proof that does not verify: refused (422), the state is unchanged
            var wrong = proofs.consistency(8, 12).hashes();
            assertThrows(WitnessRefusedException.class, () -> w.addCheckpoint(new AddCheckpoint(9, wrong, cp.apply(12))));
            assertEquals(9, w.latest(origin).orElseThrow().size());
            // an old size above the checkpoint's: malformed (400); a smaller checkpoint: 409 with the witness's size
            assertThrows(MalformedInputException.class, () -> w.addCheckpoint(new AddCheckpoint(9, List.of(), cp.apply(7))));
            assertEquals(9, assertThrows(WitnessConflictException.class,
                    () -> w.addCheckpoint(new AddCheckpoint(7, List.of(), cp.apply(7)))).knownSize());
            // the same size again is cosigned again; the same size with another root is a conflict
            w.addCheckpoint(new AddCheckpoint(9, List.of(), cp.apply(9)));
            byte[] fork = log.sign(Checkpoint.of(origin, 9, proofs.root(10)).text()).bytes();
            assertTrue(assertThrows(WitnessConflictException.class, () -> w.addCheckpoint(new AddCheckpoint(9, List.of(), fork)))
                    .getMessage().contains("I09"));
            // unknown log and a bad signature
            NoteSigner other = Fixtures.signer("other.example/log", Fixtures.key(SignatureAlgorithm.ED25519, "other"), false, null);
            byte[] unknown = other.sign(Fixtures.checkpoint("other.example/log", HashAlgorithm.SHA_256, tree, 3).text()).bytes();
            assertTrue(!w.follows("other.example/log") && w.follows(origin));
            assertThrows(NoteVerificationException.class, () -> w.addCheckpoint(new AddCheckpoint(0, List.of(), unknown)));
            NoteSigner impostor = Fixtures.signer(origin, Fixtures.key(SignatureAlgorithm.ED25519, "impostor"), false, null);
            byte[] forged = impostor.sign(Fixtures.checkpoint(origin, HashAlgorithm.SHA_256, tree, 12).text()).bytes();
            assertThrows(NoteVerificationException.class,
                    () -> w.addCheckpoint(new AddCheckpoint(9, proofs.consistency(9, 12).hashes(), forged)));
            assertEquals(9, w.latest(origin).orElseThrow().size());
        }
    }
}
