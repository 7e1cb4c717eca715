package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.RootMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WitnessTest {
    private static final Instant T0 = Instant.parse("2021-06-07T08:00:00Z");

    @TempDir
    Path dir;


    /** A log: its signer, its tree of 40 entries, and signed checkpoints and proofs over it. */
    private static final class Log {
        final SignatureAlgorithm algorithm;
        final HashAlgorithm hash;
        final NoteSigner signer;
        final MemoryTree tree;
        private final Map<Long, byte[]> signed = new ConcurrentHashMap<>();

        Log(SignatureAlgorithm algorithm) {
            this.algorithm = algorithm;
            this.hash = Suite.of(algorithm).hash();
            this.signer = Fixtures.logSigner(algorithm);
            this.tree = Fixtures.tree(hash, 40);
        }

        /** The signed checkpoint of the first {@code size} entries (signed once, a fresh copy each time). */
        byte[] checkpoint(long size) {
            return signed.computeIfAbsent(size, n -> signed(Fixtures.checkpoint(signer.key().name(), hash, tree, n))).clone();
        }

        byte[] signed(Checkpoint c) {
            return signer.sign(c.text()).bytes();
        }

        ConsistencyProof proof(long from, long to) {
            return ProofBuilder.of(hash, tree).consistency(from, to);
        }

        Hash root(long size) {
            return ProofBuilder.of(hash, tree).root(size);
        }
    }

    private final org.custody.testing.SetClock clock = new org.custody.testing.SetClock(T0);
    private static final Log ED25519_LOG = new Log(SignatureAlgorithm.ED25519);
    private static final Log SM2_LOG = new Log(SignatureAlgorithm.SM2);
    private final Log log = ED25519_LOG;
    private final Log sm2Log = SM2_LOG;

    private static Log log(SignatureAlgorithm algorithm) {
        return algorithm == SignatureAlgorithm.ED25519 ? ED25519_LOG : SM2_LOG;
    }

    private Path state() {
        return dir.resolve("witness.state");
    }

    private Witness create(SignatureAlgorithm algorithm) {
        return Witness.create(state(), Fixtures.INSPECTOR_1, key(algorithm), List.of(log.signer.key(), sm2Log.signer.key()), clock);
    }

    private Witness open(SignatureAlgorithm algorithm) {
        return Witness.open(state(), Fixtures.INSPECTOR_1, key(algorithm), List.of(log.signer.key(), sm2Log.signer.key()), clock);
    }

    private static SigningKey key(SignatureAlgorithm algorithm) {
        return Fixtures.key(algorithm, Fixtures.INSPECTOR_1);
    }

    private static WitnessRefusedException refused(Witness w, byte[] note, ConsistencyProof proof) {
        return assertThrows(WitnessRefusedException.class, () -> w.cosign(note, proof));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void cosign_firstThenConsistentCheckpoint_returnsVerifiableCosignatures(SignatureAlgorithm algorithm) {
        Log l = log(algorithm);
        try (Witness w = create(algorithm)) {
            SignedNote first = w.cosign(l.checkpoint(5), null);
            clock.set(T0.plusSeconds(60));
            SignedNote second = w.cosign(l.checkpoint(13), l.proof(5, 13));
            NoteVerifier verifier = NoteVerifier.of(List.of(l.signer.key(), w.key()));
            for (SignedNote n : List.of(first, second)) {
                verifier.verify(n.bytes()).requireSignatures(1, List.of(l.signer.key().name()))
                        .requireSignatures(1, List.of(Fixtures.INSPECTOR_1));
            }
            assertEquals(Optional.of(T0.plusSeconds(60)), verifier.verify(second).cosignedAt(Fixtures.INSPECTOR_1));
            assertEquals(NoteKeyType.of(algorithm, true), w.key().type());
            assertEquals(Optional.of(Checkpoint.of(l.signer.key().name(), 13, l.root(13))), w.latest(l.signer.key().name()));
        }
    }

    @Test
    void cosign_smallerSize_refusesAsRollbackI09() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(13), null);
            WitnessRefusedException e = refused(w, log.checkpoint(12), null);
            assertEquals(WitnessRefusedException.Reason.ROLLBACK, e.reason());
            assertEquals(FindingCode.I09, e.code());
            assertTrue(e.getMessage().startsWith("I09 rollback: "), e.getMessage());
            assertEquals(13, e.witnessSize());
            assertEquals(log.root(13), e.witnessRoot());
        }
    }

    @Test
    void cosign_sameSizeDifferentRoot_refusesAsDivergenceI09() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(13), null);
            byte[] fork = log.signed(Checkpoint.of(Fixtures.LOG, 13, log.root(12)));
            WitnessRefusedException e = refused(w, fork, new ConsistencyProof(13, 13, List.of()));
            assertEquals(WitnessRefusedException.Reason.DIVERGENCE, e.reason());
            assertEquals(FindingCode.I09, e.code());
            assertTrue(e.getMessage().startsWith("I09 divergence: "), e.getMessage());
        }
    }

    @Test
    void cosign_sameSizeSameRoot_cosignsAgainWithANewTime() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(13), null);
            clock.set(T0.plusSeconds(3600));
            SignedNote again = w.cosign(log.checkpoint(13), null);
            assertEquals(Optional.of(T0.plusSeconds(3600)),
                    NoteVerifier.of(List.of(w.key())).verify(again).cosignedAt(Fixtures.INSPECTOR_1));
            w.cosign(log.checkpoint(13), new ConsistencyProof(13, 13, List.of()));
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void cosign_consistencyProofWithAFlippedBit_refusesAsProofMismatchI08(SignatureAlgorithm algorithm) {
        Log l = log(algorithm);
        try (Witness w = create(algorithm)) {
            w.cosign(l.checkpoint(6), null);
            ConsistencyProof good = l.proof(6, 21);
            for (int i = 0; i < good.hashes().size(); i++) {
                List<Hash> hashes = new ArrayList<>(good.hashes());
                byte[] b = hashes.get(i).bytes();
                b[i % 32] ^= 0x10;
                hashes.set(i, Hash.of(b));
                WitnessRefusedException e = refused(w, l.checkpoint(21), new ConsistencyProof(6, 21, hashes));
                assertEquals(WitnessRefusedException.Reason.PROOF_MISMATCH, e.reason());
                assertEquals(FindingCode.I08, e.code());
                assertTrue(e.getMessage().startsWith("I08 proof mismatch: "), e.getMessage());
                assertInstanceOf(RootMismatchException.class, e.getCause());
            }
            assertEquals(6, w.latest(l.signer.key().name()).orElseThrow().size());
            w.cosign(l.checkpoint(21), good);
        }
    }

    @Test
    void cosign_proofMissingOrForOtherSizes_refusesAsProofMismatchNamingTheWitnessSize() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(6), null);
            assertEquals(WitnessRefusedException.Reason.PROOF_MISMATCH, refused(w, log.checkpoint(9), null).reason());
            WitnessRefusedException e = refused(w, log.checkpoint(9), log.proof(5, 9));
            assertEquals(6, e.witnessSize());
            assertTrue(e.getMessage().contains("needed from 6 to 9"), e.getMessage());
            assertEquals(FindingCode.I08, refused(w, log.checkpoint(9), log.proof(6, 10)).code());
        }
    }

    @Test
    void cosign_afterRestart_stillRefusesRollbackAndDivergence() throws IOException {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(8), null);
            w.cosign(log.checkpoint(20), log.proof(8, 20));
        }
        byte[] saved = Files.readAllBytes(state());
        try (Witness restarted = open(SignatureAlgorithm.ED25519)) {
            assertEquals(20, restarted.latest(Fixtures.LOG).orElseThrow().size());
            assertEquals(WitnessRefusedException.Reason.ROLLBACK, refused(restarted, log.checkpoint(8), null).reason());
            byte[] fork = log.signed(Checkpoint.of(Fixtures.LOG, 20, log.root(19)));
            assertEquals(WitnessRefusedException.Reason.DIVERGENCE, refused(restarted, fork, null).reason());
            assertArrayEquals(saved, Files.readAllBytes(state()), "a refusal changes nothing on disk");
            restarted.cosign(log.checkpoint(33), log.proof(20, 33));
        }
        try (Witness again = open(SignatureAlgorithm.ED25519)) {
            assertEquals(33, again.latest(Fixtures.LOG).orElseThrow().size());
        }
    }

    /** The state says which checkpoints this inspector has cosigned: owner-only, as its lock file, whatever the umask. */
    @Test
    void cosign_written_stateAndLockFilesOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(13), null);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("witness.state.lock"))));
    }

    @Test
    void cosign_written_stateFileIsTheDocumentedTextAndNoTemporaryFileRemains() throws IOException {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            assertEquals("custody/witness-state/v1\n", Files.readString(state()));
            w.cosign(log.checkpoint(13), null);
            w.cosign(sm2Log.checkpoint(4), null);
        }
        String expected = "custody/witness-state/v1\n"
                + Fixtures.LOG + " 13 " + NoteText.base64(log.root(13).bytes()) + " " + T0.getEpochSecond() + "\n"
                + Fixtures.LOG_SM2 + " 4 " + NoteText.base64(sm2Log.root(4).bytes()) + " " + T0.getEpochSecond() + "\n";
        assertEquals(expected, Files.readString(state()));
        assertFalse(Files.exists(dir.resolve("witness.state.tmp")));
    }

    @Test
    void cosign_clockGoesBack_timestampsDoNotGoBack() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            w.cosign(log.checkpoint(3), null);
            clock.set(T0.minusSeconds(600));
            SignedNote note = w.cosign(log.checkpoint(4), log.proof(3, 4));
            assertEquals(Optional.of(T0), NoteVerifier.of(List.of(w.key())).verify(note).cosignedAt(Fixtures.INSPECTOR_1));
        }
    }

    @Test
    void cosign_unknownLogOrBadLogSignature_throwsVerificationAndRecordsNothing() throws IOException {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            NoteSigner stranger = NoteSigner.of("other.example/log", Fixtures.key(SignatureAlgorithm.ED25519, "other"));
            byte[] unknown = stranger.sign(Fixtures.checkpoint("other.example/log", HashAlgorithm.SHA_256, log.tree, 3).text()).bytes();
            assertEquals(Reason.NO_KNOWN_SIGNATURE, assertThrows(NoteVerificationException.class, () -> w.cosign(unknown, null)).reason());
            NoteSigner impostor = NoteSigner.of(Fixtures.LOG, Fixtures.key(SignatureAlgorithm.ED25519, "impostor"));
            byte[] unsigned = impostor.sign(Fixtures.checkpoint(Fixtures.LOG, HashAlgorithm.SHA_256, log.tree, 3).text()).bytes();
            assertEquals(Reason.NO_KNOWN_SIGNATURE, assertThrows(NoteVerificationException.class, () -> w.cosign(unsigned, null)).reason());
            byte[] tampered = log.checkpoint(3);
            tampered[Fixtures.LOG.length() + 1] = '4';
            assertEquals(Reason.BAD_SIGNATURE, assertThrows(NoteVerificationException.class, () -> w.cosign(tampered, null)).reason());
            assertEquals(Optional.empty(), w.latest(Fixtures.LOG));
        }
        assertEquals("custody/witness-state/v1\n", Files.readString(state()));
    }

    @Test
    void cosign_emptyTreeWithAnotherRoot_refusesAsProofMismatch() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            byte[] lie = log.signed(Checkpoint.of(Fixtures.LOG, 0, log.root(1)));
            assertEquals(FindingCode.I08, refused(w, lie, null).code());
            w.cosign(log.checkpoint(0), null);
            w.cosign(log.checkpoint(7), null);
        }
    }

    @Test
    void open_missingFile_throwsRatherThanStartingAfresh() {
        WitnessStateException e = assertThrows(WitnessStateException.class, () -> open(SignatureAlgorithm.ED25519));
        assertTrue(e.getMessage().contains("cannot read witness state"), e.getMessage());
    }

    @Test
    void create_existingFile_throws() {
        create(SignatureAlgorithm.ED25519).close();
        assertThrows(WitnessStateException.class, () -> create(SignatureAlgorithm.ED25519));
    }

    @Test
    void open_whileAnotherWitnessHasTheFile_throwsInUse() {
        try (Witness w = create(SignatureAlgorithm.ED25519)) {
            WitnessStateException e = assertThrows(WitnessStateException.class, () -> open(SignatureAlgorithm.ED25519));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            w.cosign(log.checkpoint(2), null);
        }
        open(SignatureAlgorithm.ED25519).close();
    }

    @Test
    void open_corruptStateFile_throwsNamingTheLine() throws IOException {
        create(SignatureAlgorithm.ED25519).close();
        String good = "custody/witness-state/v1\n" + Fixtures.LOG + " 13 " + NoteText.base64(log.root(13).bytes()) + " 5\n";
        Files.writeString(state(), good);
        open(SignatureAlgorithm.ED25519).close();
        for (String bad : List.of(good.substring(0, good.length() - 1), good.replace(" 13 ", " 013 "),
                good.replace("v1", "v2"), good + good.substring(good.indexOf('\n') + 1), good.replace(" 5\n", "\n"))) {
            Files.writeString(state(), bad);
            WitnessStateException e = assertThrows(WitnessStateException.class, () -> open(SignatureAlgorithm.ED25519), bad);
            assertTrue(e.getMessage().contains("not in its format"), e.getMessage());
        }
    }

    @Test
    void cosign_afterClose_throws() {
        Witness w = create(SignatureAlgorithm.ED25519);
        w.close();
        w.close();
        assertThrows(WitnessStateException.class, () -> w.cosign(log.checkpoint(1), null));
    }

    @Test
    void create_cosignatureKeyAsLogKey_throws() {
        NoteKey cosigner = Fixtures.cosigner(Fixtures.INSPECTOR_2, SignatureAlgorithm.ED25519).key();
        assertThrows(MalformedInputException.class,
                () -> Witness.create(state(), Fixtures.INSPECTOR_1, key(SignatureAlgorithm.ED25519), List.of(cosigner), clock));
        assertFalse(Files.exists(state()));
    }
}
