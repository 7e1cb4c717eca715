package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;

/**
 * Any single-byte change to a signed, cosigned checkpoint either fails to parse or fails verification under the policy
 * "every one of these keys signed": nothing else about a note can be changed unnoticed.
 */
class SignedNoteMutationTest {
    /** A signed note, the verifier of all its keys, and the names that must all have signed. */
    private record Case(byte[] note, NoteVerifier verifier, List<String> names) {
        static Case of(SignatureAlgorithm algorithm) {
            HashAlgorithm hash = Suite.of(algorithm).hash();
            NoteSigner log = Fixtures.logSigner(algorithm);
            NoteSigner one = Fixtures.cosigner(Fixtures.INSPECTOR_1, algorithm);
            NoteSigner two = Fixtures.cosigner(Fixtures.INSPECTOR_2, SignatureAlgorithm.ED25519);
            Checkpoint c = Fixtures.checkpoint(log.key().name(), hash, Fixtures.tree(hash, 9), 9);
            Checkpoint withExtension = new Checkpoint(c.origin(), c.size(), c.root(), List.of("exam HN-2021 \u8bed\u6587"));
            SignedNote note = log.sign(withExtension.text());
            note = note.withSignature(one.cosignature(note.text(), 1_623_050_000L));
            note = note.withSignature(two.cosignature(note.text(), 1_623_050_060L));
            NoteVerifier verifier = NoteVerifier.of(List.of(log.key(), one.key(), two.key()));
            List<String> names = List.of(log.key().name(), Fixtures.INSPECTOR_1, Fixtures.INSPECTOR_2);
            verifier.verify(note.bytes()).requireSignatures(3, names);
            return new Case(note.bytes(), verifier, names);
        }

        void assertRefused(int position, int value) {
            byte[] mutated = note.clone();
            int index = position % mutated.length;
            Assume.that(mutated[index] != (byte) value);
            mutated[index] = (byte) value;
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> verifier.verify(mutated).requireSignatures(names.size(), names),
                    () -> "byte " + index + " set to 0x" + Integer.toHexString(value) + " went unnoticed");
            assertTrue(e instanceof MalformedNoteException || e instanceof NoteVerificationException, e::toString);
        }
    }

    private static final Case ED25519 = Case.of(SignatureAlgorithm.ED25519);
    private static final Case SM2 = Case.of(SignatureAlgorithm.SM2);

    @Property(tries = 400)
    void verify_ed25519NoteWithOneByteChanged_throws(@ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 0, max = 255) int value) {
        ED25519.assertRefused(position, value);
    }

    @Property(tries = 150)
    void verify_sm2NoteWithOneByteChanged_throws(@ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 0, max = 255) int value) {
        SM2.assertRefused(position, value);
    }
}
