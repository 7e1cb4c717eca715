package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.cli.TransparencyCliTest.Result;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Witness cosigning keys enrolled with their own role (witness_cosigner), and a reader's witness quorum: {@code custody
 * verify --witness VKEY --witness-quorum N}, on real ledger and key files.
 */
class WitnessCliTest {
    static final LedgerId ID = LedgerId.of("CLI-WIT");
    static final Instant T = Instant.parse("2021-06-09T00:30:00Z");
    static final String PASS = "correct horse battery";

    @TempDir
    Path dir;
    Path ledgerFile;
    Path logKeyFile;
    Path passphrase;
    SigningKey founder;
    final SigningKey w1 = SigningKey.generate(SignatureAlgorithm.ED25519);
    final SigningKey w2 = SigningKey.generate(SignatureAlgorithm.ED25519);

    @BeforeEach
    void createLedger() throws Exception {
        founder = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey logKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person a = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        ledgerFile = dir.resolve("ledger.db");
        Genesis genesis = new Genesis(RecordId.of("g"), ID, T, Suite.ED25519_SHA256, List.of(new Founder(a, founder.publicKey())));
        try (Ledger ledger = Ledger.create(ledgerFile, SignedRecord.unsigned(genesis).signedBy(founder))) {
            enrol(ledger, "enrol-log", Person.of("LOG", "Checkpoint signer", Role.CHECKPOINT_SIGNER), logKey);
            enrol(ledger, "enrol-w1", Person.of("W1", "省考试院见证节点 witness 1", Role.WITNESS_COSIGNER), w1);
            enrol(ledger, "enrol-w2", Person.of("W2", "纪委见证节点 witness 2", Role.WITNESS_COSIGNER), w2);
            grow(ledger, "A", 4);
        }
        passphrase = dir.resolve("pass.txt");
        Cli.secret(passphrase, PASS + "\n");
        logKeyFile = keyFile("log.key", logKey);
    }

    private void enrol(Ledger ledger, String id, Person person, SigningKey key) {
        Enrolment e = new Enrolment(RecordId.of(id), ID, T, person, key.publicKey(), PersonId.of("P001"));
        ledger.append(SignedRecord.unsigned(e).signedBy(founder).signedBy(key));
    }

    Path keyFile(String name, SigningKey key) throws Exception {
        Path f = dir.resolve(name);
        KeyFiles.write(f, key, PASS.toCharArray(), KeyFiles.MIN_ITERATIONS);
        return f;
    }

    void grow(Ledger ledger, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            Registration r = new Registration(RecordId.of(prefix + "-r" + i), ID, T.plusSeconds(i), List.of(Bag.papers(
                    BagId.of(prefix + ".B" + i), BagKind.QUESTION_PAPER, "HN", "K01", "01", "S1", "ENG", "A", 30,
                    Secrecy.CONFIDENTIAL)), List.of(PersonId.of("P001")));
            ledger.append(SignedRecord.unsigned(r).signedBy(founder));
        }
    }

    /** Cosigns the ledger's latest checkpoint as witness {@code name}; returns its verifier key. */
    String cosign(String keyName, SigningKey key, String name) throws Exception {
        Path state = dir.resolve(keyName + ".state");
        Result r = TransparencyCliTest.run("checkpoint", "cosign", ledgerFile.toString(), "--key", keyFile(keyName, key).toString(),
                "--passphrase-file", passphrase.toString(), "--name", name, "--state", state.toString(), "--new-state");
        assertEquals(0, r.status(), r.err());
        return r.err().substring(r.err().indexOf("verifier key ") + 13).trim();
    }

    @Test
    void enrolledWitnessCosignatures_areTrusted_andTheReadersQuorumIsRequired() throws Exception {
        Result made = TransparencyCliTest.run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, made.status(), made.err());
        String w1Vkey = cosign("w1.key", w1, "witness.example/w1");
        String w2Vkey = "witness.example/w2+" + org.custody.checkpoint.NoteKey.of("witness.example/w2",
                org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519, w2.publicKey()).toString().split("\\+", 2)[1];

        // an enrolled witness_cosigner's line is checked and trusted, not listed as untrusted
        Result plain = TransparencyCliTest.run("verify", ledgerFile.toString());
        assertEquals(0, plain.status(), plain.out());
        assertTrue(!plain.out().contains("Cosignatures not trusted"), plain.out());

        // the reader names two witnesses and requires both: only one cosigned, I08, exit 3
        Result both = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2Vkey);
        assertEquals(3, both.status(), both.out());
        assertTrue(both.out().contains("I08") && both.out().contains("not cosigned by the witnesses required")
                && both.out().contains("witness.example/w2"), both.out());
        // one of the two is enough: intact; the key may be given in a file
        Path w2File = dir.resolve("w2.vkey");
        Files.writeString(w2File, w2Vkey + "\n");
        Result one = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2File.toString(),
                "--witness-quorum", "1");
        assertEquals(0, one.status(), one.out() + one.err());
        // now the second witness cosigns too: the quorum of two is met
        cosign("w2.key", w2, "witness.example/w2");
        Result met = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2File.toString());
        assertEquals(0, met.status(), met.out() + met.err());

        // a witness key that is not the reader's named one: another key under w1's name does not count
        String forged = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                SigningKey.generate(SignatureAlgorithm.ED25519).publicKey()).toString();
        Result other = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", forged);
        assertEquals(3, other.status(), other.out());
        assertTrue(other.out().contains("I08"), other.out());
    }

    @Test
    void aQuorumWithoutACheckpoint_orOfALogKey_orTooLarge_isRefused() throws Exception {
        String w1Vkey = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                w1.publicKey()).toString();
        Result none = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey);
        assertEquals(3, none.status(), none.out());
        assertTrue(none.out().contains("keeps no signed checkpoint"), none.out());

        String logVkey = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.ED25519,
                w1.publicKey()).toString();
        Result logKey = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", logVkey);
        assertEquals(2, logKey.status(), logKey.err());
        assertTrue(logKey.err().contains("not a cosignature key"), logKey.err());

        Result tooMany = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness-quorum", "2");
        assertEquals(2, tooMany.status(), tooMany.err());
        Result noKeys = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness-quorum", "1");
        assertEquals(2, noKeys.status(), noKeys.err());
        Result garbage = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", "not-a-key");
        assertEquals(2, garbage.status(), garbage.err());
        assertTrue(garbage.err().contains("见证公钥格式错误"), garbage.err());
    }

    @Test
    void aWitnessCosignerHoldsThatRoleAlone() {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> new Person(PersonId.of("W9"), "both", java.util.Set.of(Role.WITNESS_COSIGNER, Role.DISCIPLINE_INSPECTOR),
                        null, null, List.of()));
        assertTrue(e.getMessage().contains("witness_cosigner"), e.getMessage());
        assertThrows(MalformedInputException.class, () -> new org.custody.model.Quorum.Group(java.util.Set.of(Role.WITNESS_COSIGNER), 1));
    }
}
