package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.crypto.TestKeys;
import org.custody.failure.MalformedInputException;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoteVerifierTest {
    private static final long T = 1_750_000_000L;

    private static String body(SignatureAlgorithm algorithm) {
        HashAlgorithm hash = Suite.of(algorithm).hash();
        String origin = algorithm == SignatureAlgorithm.ED25519 ? Fixtures.LOG : Fixtures.LOG_SM2;
        return Fixtures.checkpoint(origin, hash, Fixtures.tree(hash, 5), 5).text();
    }

    private static NoteSignature corrupt(NoteSignature s) {
        byte[] payload = s.payload();
        payload[payload.length - 1] ^= 0x01;
        return new NoteSignature(s.name(), s.keyIdValue(), payload);
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void verify_logSignedCheckpoint_returnsTextAndCheckpoint(SignatureAlgorithm algorithm) {
        NoteSigner log = Fixtures.logSigner(algorithm);
        SignedNote note = log.sign(body(algorithm));
        VerifiedNote verified = NoteVerifier.of(List.of(log.key())).verify(note.bytes());
        assertEquals(note.text(), verified.text());
        assertEquals(5, verified.checkpoint().size());
        assertEquals(Set.of(log.key().name()), verified.signerNames());
        assertEquals(Optional.empty(), verified.cosignedAt(log.key().name()));
    }

    @Test
    void verify_unknownKeysBesideAKnownOne_ignoresThem() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        NoteSigner stranger = NoteSigner.of(Fixtures.STRANGER, Fixtures.key(SignatureAlgorithm.ED25519, "stranger"));
        SignedNote note = stranger.sign(log.sign(body(SignatureAlgorithm.ED25519)));
        SignedNote withGarbage = note.withSignature(new NoteSignature("garbage.example", 7, new byte[] {1, 2, 3}));
        VerifiedNote verified = NoteVerifier.of(List.of(log.key())).verify(withGarbage);
        assertEquals(Set.of(Fixtures.LOG), verified.signerNames());
    }

    @Test
    void verify_signatureWithKnownNameButOtherId_isIgnored() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        SignedNote note = log.sign(body(SignatureAlgorithm.ED25519));
        NoteSignature s = note.signatures().get(0);
        SignedNote impostor = note.withSignature(new NoteSignature(s.name(), s.keyIdValue() ^ 1, new byte[64]));
        assertEquals(2, impostor.signatures().size());
        assertEquals(Set.of(Fixtures.LOG), NoteVerifier.of(List.of(log.key())).verify(impostor).signerNames());
    }

    @Test
    void verify_onlyUnknownKeys_throwsNoKnownSignature() {
        NoteSigner stranger = NoteSigner.of(Fixtures.STRANGER, Fixtures.key(SignatureAlgorithm.ED25519, "stranger"));
        SignedNote note = stranger.sign(body(SignatureAlgorithm.ED25519));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(Fixtures.logSigner(SignatureAlgorithm.ED25519).key())).verify(note));
        assertEquals(Reason.NO_KNOWN_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains(Fixtures.STRANGER), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void verify_badSignatureByKnownKey_throwsEvenBesideAGoodOne(SignatureAlgorithm algorithm) {
        NoteSigner log = Fixtures.logSigner(algorithm);
        NoteSigner second = NoteSigner.of("second.example/k", Fixtures.key(algorithm, "second"));
        SignedNote note = second.sign(log.sign(body(algorithm)));
        SignedNote bad = note.withSignature(corrupt(note.signatures().get(1)));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(log.key(), second.key())).verify(bad));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().startsWith("line 6: signature by second.example/k+"), e.getMessage());
    }

    @Test
    void verify_knownKeyWithWrongSignatureLength_throwsBadSignature() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        SignedNote note = log.sign(body(SignatureAlgorithm.ED25519));
        NoteSignature s = note.signatures().get(0);
        SignedNote bad = note.withSignature(new NoteSignature(s.name(), s.keyIdValue(), new byte[65]));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(log.key())).verify(bad));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("65 bytes"), e.getMessage());
    }

    @Test
    void verify_sm2SignatureUnderAnotherUserId_throwsBadSignature() {
        SigningKey key = Fixtures.key(SignatureAlgorithm.SM2, "log");
        NoteSigner log = NoteSigner.of(Fixtures.LOG_SM2, key);
        String text = body(SignatureAlgorithm.SM2);
        byte[] otherId = Fixtures.utf8("ALICE123@YAHOO.COM");
        byte[] sig = TestKeys.signSm2(key, Fixtures.utf8(text), otherId, Cast.seeded(1)).valueBytes();
        SignedNote note = SignedNote.of(text, List.of(new NoteSignature(Fixtures.LOG_SM2, log.key().idValue(), sig)));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(log.key())).verify(note));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void verify_cosignature_verifiesAndReportsItsTime(SignatureAlgorithm algorithm) {
        NoteSigner log = Fixtures.logSigner(algorithm);
        NoteSigner inspector = Fixtures.cosigner(Fixtures.INSPECTOR_1, algorithm);
        SignedNote signed = log.sign(body(algorithm));
        SignedNote note = signed.withSignature(inspector.cosignature(signed.text(), T));
        VerifiedNote verified = NoteVerifier.of(List.of(log.key(), inspector.key())).verify(note.bytes());
        assertEquals(Optional.of(Instant.ofEpochSecond(T)), verified.cosignedAt(Fixtures.INSPECTOR_1));
        assertSame(verified, verified.requireCosignatures(1, List.of(Fixtures.INSPECTOR_1), Instant.ofEpochSecond(T)));
    }

    @Test
    void verify_cosignatureWithChangedTimestamp_throwsBadSignature() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        NoteSigner inspector = Fixtures.cosigner(Fixtures.INSPECTOR_1, SignatureAlgorithm.ED25519);
        SignedNote signed = log.sign(body(SignatureAlgorithm.ED25519));
        NoteSignature cosig = inspector.cosignature(signed.text(), T);
        byte[] payload = cosig.payload();
        ByteBuffer.wrap(payload).putLong(T + 1);
        SignedNote note = signed.withSignature(new NoteSignature(cosig.name(), cosig.keyIdValue(), payload));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(log.key(), inspector.key())).verify(note));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void verify_cosignatureTimestampAbove2pow63_throwsBadSignature() {
        NoteSigner inspector = Fixtures.cosigner(Fixtures.INSPECTOR_1, SignatureAlgorithm.ED25519);
        String text = body(SignatureAlgorithm.ED25519);
        byte[] payload = inspector.cosignature(text, T).payload();
        payload[0] = (byte) 0x80;
        SignedNote note = SignedNote.of(text, List.of(new NoteSignature(Fixtures.INSPECTOR_1, inspector.key().idValue(), payload)));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(inspector.key())).verify(note));
        assertTrue(e.getMessage().contains("2^63"), e.getMessage());
    }

    @Test
    void verify_cosignatureByTheSameKeyAsPlainSignature_doesNotVerify() {
        SigningKey key = Fixtures.key(SignatureAlgorithm.ED25519, "shared");
        NoteSigner plain = NoteSigner.of(Fixtures.INSPECTOR_1, key);
        NoteSigner cosigner = NoteSigner.cosigner(Fixtures.INSPECTOR_1, key);
        String text = body(SignatureAlgorithm.ED25519);
        NoteSignature cosig = cosigner.cosignature(text, T);
        // the same bytes presented under the plain key's id: wrong length, so refused, never a valid plain signature
        SignedNote note = SignedNote.of(text, List.of(new NoteSignature(Fixtures.INSPECTOR_1, plain.key().idValue(), cosig.payload())));
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(plain.key())).verify(note)).reason());
    }

    @Test
    void requireSignatures_quorum_passesOrNamesTheMissing() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        NoteSigner one = Fixtures.cosigner(Fixtures.INSPECTOR_1, SignatureAlgorithm.ED25519);
        NoteSigner two = Fixtures.cosigner(Fixtures.INSPECTOR_2, SignatureAlgorithm.ED25519);
        SignedNote signed = log.sign(body(SignatureAlgorithm.ED25519));
        SignedNote note = signed.withSignature(one.cosignature(signed.text(), T));
        VerifiedNote verified = NoteVerifier.of(List.of(log.key(), one.key(), two.key())).verify(note);
        List<String> inspectors = List.of(Fixtures.INSPECTOR_1, Fixtures.INSPECTOR_2);
        verified.requireSignatures(1, List.of(Fixtures.LOG)).requireSignatures(1, inspectors);
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> verified.requireSignatures(2, inspectors));
        assertEquals(Reason.TOO_FEW_SIGNATURES, e.reason());
        assertTrue(e.getMessage().contains("missing [" + Fixtures.INSPECTOR_2 + "]"), e.getMessage());
    }

    @Test
    void requireCosignatures_oldTimestamp_throwsTooOld() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        NoteSigner one = Fixtures.cosigner(Fixtures.INSPECTOR_1, SignatureAlgorithm.ED25519);
        SignedNote signed = log.sign(body(SignatureAlgorithm.ED25519));
        VerifiedNote verified = NoteVerifier.of(List.of(log.key(), one.key()))
                .verify(signed.withSignature(one.cosignature(signed.text(), T)));
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> verified.requireCosignatures(1, List.of(Fixtures.INSPECTOR_1), Instant.ofEpochSecond(T + 1)));
        assertEquals(Reason.TOO_FEW_SIGNATURES, e.reason());
        assertTrue(e.getMessage().contains("too old"), e.getMessage());
        // a plain signature is not a cosignature, whatever its time
        assertThrows(NoteVerificationException.class,
                () -> verified.requireCosignatures(1, List.of(Fixtures.LOG), Instant.EPOCH));
    }

    @Test
    void requireSignatures_impossiblePolicy_throwsIllegalArgument() {
        NoteSigner log = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        VerifiedNote verified = NoteVerifier.of(List.of(log.key())).verify(log.sign("x\n"));
        assertThrows(MalformedInputException.class, () -> verified.requireSignatures(0, List.of(Fixtures.LOG)));
        assertThrows(MalformedInputException.class, () -> verified.requireSignatures(2, List.of(Fixtures.LOG, Fixtures.LOG)));
    }

    @Test
    void of_ambiguousOrNoKeys_throws() {
        NoteKey key = Fixtures.logSigner(SignatureAlgorithm.ED25519).key();
        assertThrows(MalformedInputException.class, () -> NoteVerifier.of(List.of()));
        assertThrows(MalformedInputException.class, () -> NoteVerifier.of(List.of(key, key)));
    }
}
