package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Custody's notes against vectors published by others: the example of C2SP signed-note, the notes of Go's
 * golang.org/x/mod/sumdb/note (its package documentation, with the signer key, so signing is checked byte for byte),
 * verifier keys from transparency-dev/formats, and the example of C2SP tlog-cosignature (parsed and its cosigned
 * message rebuilt; its witness key is not published, so it cannot be verified).
 */
class PublishedVectorsTest {
    /** c2sp.org/signed-note, the example of a verifier key and a note it signed. */
    private static final String SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private static final String SPEC_NOTE = "This is an example message.\n\n"
            + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    /** golang.org/x/mod/sumdb/note, package documentation: PeterNeumann's signer and verifier keys and note. */
    private static final String PETER_SKEY_MATERIAL = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_LINE =
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_LINE =
            "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    /** c2sp.org/tlog-cosignature, the example of a checkpoint with a log signature and one cosignature. */
    private static final String COSIGNED_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    private static final String COSIGNED_NOTE = COSIGNED_TEXT + "\n"
            + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
            + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

    @Test
    void verify_signedNoteSpecExample_verifiesAndReturnsTheText() {
        NoteKey key = NoteKey.parse(SPEC_VKEY);
        assertEquals("530d903a", key.id());
        assertEquals(NoteKeyType.ED25519, key.type());
        VerifiedNote note = NoteVerifier.of(List.of(key)).verify(Fixtures.utf8(SPEC_NOTE));
        assertEquals("This is an example message.\n", note.text());
        assertEquals(Set.of("example.com/foo"), note.signerNames());
    }

    @Test
    void sign_goPeterNeumannKey_reproducesThePublishedNoteByteForByte() {
        byte[] material = Base64.getDecoder().decode(PETER_SKEY_MATERIAL);
        assertEquals(0x01, material[0]);
        SigningKey key = TestKeys.fromPrivate(SignatureAlgorithm.ED25519, Arrays.copyOfRange(material, 1, 33));
        NoteSigner signer = NoteSigner.of("PeterNeumann", key);
        assertEquals(PETER_VKEY, signer.key().toString());
        assertEquals(GO_TEXT + "\n" + PETER_LINE, signer.sign(GO_TEXT).toString());
    }

    @Test
    void verify_goDoublySignedNote_verifiesBothKeys() {
        byte[] note = Fixtures.utf8(GO_TEXT + "\n" + PETER_LINE + ENOCH_LINE);
        VerifiedNote verified = NoteVerifier.of(List.of(NoteKey.parse(PETER_VKEY), NoteKey.parse(ENOCH_VKEY))).verify(note);
        verified.requireSignatures(2, List.of("PeterNeumann", "EnochRoot"));
        assertEquals(GO_TEXT, verified.text());
    }

    @Test
    void verify_goNoteWithOnlyEnochKnown_ignoresPeterAndVerifiesEnoch() {
        byte[] note = Fixtures.utf8(GO_TEXT + "\n" + PETER_LINE + ENOCH_LINE);
        VerifiedNote verified = NoteVerifier.of(List.of(NoteKey.parse(ENOCH_VKEY))).verify(note);
        assertEquals(Set.of("EnochRoot"), verified.signerNames());
    }

    @Test
    void verify_goNoteWithChangedText_throwsBadSignature() {
        byte[] note = Fixtures.utf8(GO_TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_LINE);
        NoteVerificationException e = assertThrows(NoteVerificationException.class,
                () -> NoteVerifier.of(List.of(NoteKey.parse(PETER_VKEY))).verify(note));
        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void parse_transparencyDevKeys_roundTrip() {
        for (String vkey : List.of("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6",
                "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", PETER_VKEY, ENOCH_VKEY, SPEC_VKEY)) {
            assertEquals(vkey, NoteKey.parse(vkey).toString());
        }
        assertEquals(NoteKeyType.COSIGNATURE_ED25519,
                NoteKey.parse("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2").type());
    }

    @Test
    void parse_tlogCosignatureExample_readsKeyIdsAndTimestamp() {
        SignedNote note = SignedNote.parse(Fixtures.utf8(COSIGNED_NOTE));
        assertEquals(COSIGNED_TEXT, note.text());
        assertEquals(20852163L, Checkpoint.parse(note.text()).size());
        NoteSignature log = note.signatures().get(0);
        NoteSignature witness = note.signatures().get(1);
        assertEquals("example.com/behind-the-sofa", log.name());
        assertEquals(64, log.payload().length);
        assertEquals("witness.example.com/w1", witness.name());
        assertEquals("8d66cf3f", witness.keyId());
        assertEquals(72, witness.payload().length);
        assertEquals(1679315147L, ByteBuffer.wrap(witness.payload()).getLong());
        assertEquals(COSIGNED_NOTE, note.toString());
    }

    @Test
    void cosignedMessage_tlogCosignatureExample_isTheSpecifiedBytes() {
        String expected = "cosignature/v1\ntime 1679315147\n" + COSIGNED_TEXT;
        assertEquals(expected, new String(NoteSigner.cosignedMessage(NoteKeyType.COSIGNATURE_ED25519, 1679315147L,
                COSIGNED_TEXT), StandardCharsets.UTF_8));
    }

    @Test
    void parse_transparencyDevCosignature_readsItsTimestamp() {
        String line = "\u2014 w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==\n";
        NoteSignature s = SignedNote.parse(Fixtures.utf8("o\n1\n" + "A".repeat(43) + "=\n\n" + line)).signatures().get(0);
        assertEquals(1727964367L, ByteBuffer.wrap(s.payload()).getLong());
    }
}
