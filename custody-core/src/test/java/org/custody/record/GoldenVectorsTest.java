package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.audit.FindingClass;
import org.custody.audit.FindingCode;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.crypto.TestKeys;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Re-checks every committed golden vector ({@code src/test/resources/golden/}) with the current code: positive
 * vectors are reproduced byte for byte, negative ones are refused the expected way. Each test collects every
 * failing vector before asserting. If a failure is an intended format change, regenerate the vectors with
 * {@link GoldenVectorsGenerator} and review the diff.
 */
class GoldenVectorsTest {
    /** Defects that must keep a negative vector (the list may grow, never shrink). */
    private static final List<String> REQUIRED_NEGATIVES = List.of("entry-non-canonical-whitespace", "entry-unknown-field",
            "entry-duplicate-key", "entry-trailing-data", "record-empty-witnesses-array", "record-null-field",
            "record-unsupported-version", "time-not-canonical", "hash-uppercase-hex", "signature-base64-unpadded",
            "signature-flipped-bit", "signature-wrong-key", "sm2-signature-wrong-user-id", "roles-unsorted");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String label, byte[] body) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(l, l.length + body.length);
        System.arraycopy(body, 0, out, l.length, body.length);
        return out;
    }

    private static void assertNoFailures(String what, List<String> failures) {
        assertTrue(failures.isEmpty(), failures.size() + " " + what + " failed:\n" + String.join("\n", failures));
    }

    /** The committed signing keys of {@code algorithm}, by person, rebuilt from their raw private keys. */
    private static Map<String, SigningKey> keys(SignatureAlgorithm algorithm) {
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        for (JsonNode k : Golden.load(Golden.KEYS).get("keys")) {
            if (k.get("alg").asText().equals(algorithm.wire())) {
                keys.put(k.get("person").asText(), TestKeys.fromPrivate(algorithm, Golden.unhex(k.get("private").asText())));
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------- keys

    @Test
    void keys_committedPrivateKeys_reproducePublicKeysAndKeyIds() {
        JsonNode file = Golden.load(Golden.KEYS);
        assertEquals("custody/key/v1\n", file.get("keyIdLabel").asText());
        assertEquals("1234567812345678", file.get("sm2UserId").asText());
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode k : file.get("keys")) {
            count++;
            String name = k.get("name").asText();
            try {
                SignatureAlgorithm alg = SignatureAlgorithm.fromWire(k.get("alg").asText());
                PublicKey committed = PublicKey.fromBase64(alg, k.get("public").asText());
                SigningKey rebuilt = TestKeys.fromPrivate(alg, Golden.unhex(k.get("private").asText()));
                byte[] idInput = Golden.unhex(k.get("keyIdInput").asText());
                byte[] idDigest = alg.hash().digest(idInput).bytes();
                String independentId = Golden.hex(Arrays.copyOf(idDigest, 16));
                check(failures, name, "public key from the private key", k.get("public").asText(), rebuilt.publicKey().base64());
                check(failures, name, "publicHex", k.get("publicHex").asText(), Golden.hex(committed.encoded()));
                check(failures, name, "keyIdInput", k.get("keyIdInput").asText(),
                        Golden.hex(GoldenVectorsGenerator.keyIdInput(committed)));
                check(failures, name, "key id (PublicKey.id)", k.get("keyId").asText(), committed.id().hex());
                check(failures, name, "key id (first 16 bytes of H(keyIdInput))", k.get("keyId").asText(), independentId);
                if (alg == SignatureAlgorithm.SM2) {
                    check(failures, name, "SM2 Z", k.get("z").asText(),
                            Golden.hex(TestKeys.sm2Z(committed, TestKeys.sm2UserId())));
                }
            } catch (RuntimeException e) {
                failures.add(name + ": threw " + e);
            }
        }
        assertEquals(2 * GoldenFixtures.PEOPLE.size(), count, "one key per golden person and algorithm");
        assertNoFailures("key vectors", failures);
    }

    private static void check(List<String> failures, String vector, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            int at = 0;
            while (at < Math.min(expected.length(), actual.length()) && expected.charAt(at) == actual.charAt(at)) {
                at++;
            }
            failures.add(vector + ": " + what + " differs at character " + at + "\n    committed " + expected
                    + "\n    now       " + actual);
        }
    }

    // ---------------------------------------------------------------- ledgers

    /** The current code, given the committed keys (and, for SM2, the committed signatures), writes the same bytes. */
    @ParameterizedTest
    @EnumSource(Suite.class)
    void ledger_rebuiltFromFixtures_reproducesCommittedBytes(Suite suite) {
        JsonNode file = Golden.load(Golden.ledgerFile(suite.wire()));
        assertEquals(suite.wire(), file.get("suite").asText());
        assertEquals(suite.hash().wire(), file.get("hash").asText());
        assertEquals(RecordCodec.SIGNED_LABEL, file.get("recordLabel").asText());
        assertEquals(Entry.HASH_LABEL, file.get("entryLabel").asText());
        JsonNode committed = file.get("entries");
        assertEquals(GoldenFixtures.ENTRIES, committed.size(), "entries in the golden " + suite.wire() + " ledger");
        Map<String, SigningKey> keys = keys(suite.signature());
        Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
        keys.forEach((p, k) -> publicKeys.put(p, k.publicKey()));
        List<String> failures = new ArrayList<>();

        List<Entry> rebuilt = GoldenFixtures.chain(suite, publicKeys, (seq, person, signedBytes) -> {
            String vector = suite.wire() + " entry " + seq;
            Signature fresh = suite.signature() == SignatureAlgorithm.ED25519 ? keys.get(person.value()).sign(signedBytes) : null;
            for (JsonNode s : committed.get(seq).get("signatures")) {
                if (s.get("person").asText().equals(person.value())) {
                    Signature sig = Signature.fromBase64(KeyId.of(s.get("key").asText()), s.get("sig").asText());
                    if (fresh != null) {
                        check(failures, vector, "Ed25519 signature of " + person, sig.toString(), fresh.toString());
                    }
                    return sig;
                }
            }
            failures.add(vector + ": no committed signature of " + person);
            return fresh != null ? fresh : keys.get(person.value()).sign(signedBytes);
        });

        for (int seq = 0; seq < GoldenFixtures.ENTRIES; seq++) {
            JsonNode c = committed.get(seq);
            Entry e = rebuilt.get(seq);
            String vector = suite.wire() + " entry " + seq;
            check(failures, vector, "seq", String.valueOf(seq), c.get("seq").asText());
            check(failures, vector, "type", c.get("type").asText(), e.record().type());
            check(failures, vector, "prev", c.get("prev").asText(), e.prev().hex());
            check(failures, vector, "canonical record", c.get("record").asText(),
                    new String(RecordCodec.canonicalBytes(e.record()), StandardCharsets.UTF_8));
            check(failures, vector, "signed bytes", c.get("signed").asText(), Golden.hex(e.record().signedBytes()));
            check(failures, vector, "canonical entry", c.get("entry").asText(),
                    new String(e.canonicalBytes(), StandardCharsets.UTF_8));
            for (HashAlgorithm h : HashAlgorithm.values()) {
                check(failures, vector, h.wire() + " entry hash", c.get("hash").get(h.wire()).asText(), e.hash(h).hex());
            }
        }
        assertNoFailures(suite.wire() + " ledger vectors", failures);
    }

    /** The committed bytes, read without the fixtures: strict decoding round-trips, hashes chain, signatures verify. */
    @ParameterizedTest
    @EnumSource(Suite.class)
    void ledger_committedEntries_decodeChainAndVerify(Suite suite) {
        JsonNode file = Golden.load(Golden.ledgerFile(suite.wire()));
        Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
        for (JsonNode k : Golden.load(Golden.KEYS).get("keys")) {
            if (k.get("alg").asText().equals(suite.signature().wire())) {
                publicKeys.put(k.get("person").asText(), PublicKey.fromBase64(suite.signature(), k.get("public").asText()));
            }
        }
        List<String> failures = new ArrayList<>();
        String previous = "00".repeat(32);
        for (JsonNode c : file.get("entries")) {
            String vector = suite.wire() + " entry " + c.get("seq").asText();
            byte[] record = utf8(c.get("record").asText());
            byte[] entryBytes = utf8(c.get("entry").asText());
            byte[] signed = Golden.unhex(c.get("signed").asText());
            try {
                check(failures, vector, "prev links to the entry before", previous, c.get("prev").asText());
                previous = c.get("hash").get(suite.hash().wire()).asText();
                check(failures, vector, "signed = label || record", Golden.hex(concat(RecordCodec.SIGNED_LABEL, record)),
                        Golden.hex(signed));
                for (HashAlgorithm h : HashAlgorithm.values()) {
                    check(failures, vector, h.wire() + " hash of label || entry", c.get("hash").get(h.wire()).asText(),
                            h.digest(concat(Entry.HASH_LABEL, entryBytes)).hex());
                }

                Entry decoded = Entry.decode(entryBytes);
                check(failures, vector, "re-encoded entry", c.get("entry").asText(),
                        new String(decoded.canonicalBytes(), StandardCharsets.UTF_8));
                check(failures, vector, "decoded seq", c.get("seq").asText(), String.valueOf(decoded.seq()));
                check(failures, vector, "decoded prev", c.get("prev").asText(), decoded.prev().hex());
                check(failures, vector, "decoded record type", c.get("type").asText(), decoded.record().type());
                check(failures, vector, "record inside the entry", c.get("record").asText(),
                        new String(decoded.signed().canonicalRecord(), StandardCharsets.UTF_8));
                check(failures, vector, "signed bytes of the decoded entry", c.get("signed").asText(),
                        Golden.hex(decoded.signed().signedBytes()));
                Record alone = RecordCodec.decode(record);
                if (!alone.equals(decoded.record())) {
                    failures.add(vector + ": the record decoded alone differs from the record in the entry");
                }
                check(failures, vector, "re-encoded record", c.get("record").asText(),
                        new String(RecordCodec.canonicalBytes(alone), StandardCharsets.UTF_8));

                List<String> parties = decoded.record().parties().stream().map(p -> p.value()).toList();
                List<String> signers = new ArrayList<>();
                for (JsonNode s : c.get("signatures")) {
                    String person = s.get("person").asText();
                    signers.add(person);
                    PublicKey key = publicKeys.get(person);
                    Signature sig = Signature.fromBase64(KeyId.of(s.get("key").asText()), s.get("sig").asText());
                    try {
                        key.verify(signed, sig);
                    } catch (BadSignatureException e) {
                        failures.add(vector + ": signature of " + person + " does not verify: " + e.getMessage());
                    }
                }
                check(failures, vector, "signers", parties.toString(), signers.toString());
                check(failures, vector, "signatures in the entry", c.get("signatures").findValuesAsText("sig").toString(),
                        decoded.signatures().stream().map(Signature::base64).toList().toString());
            } catch (RuntimeException e) {
                failures.add(vector + ": threw " + e);
            }
        }
        assertNoFailures(suite.wire() + " ledger vectors", failures);
    }

    // ---------------------------------------------------------------- signatures

    @Test
    void signatures_committed_verifyAndEd25519Reproduces() {
        List<String> failures = new ArrayList<>();
        Map<SignatureAlgorithm, Map<String, SigningKey>> keys = Map.of(
                SignatureAlgorithm.ED25519, keys(SignatureAlgorithm.ED25519), SignatureAlgorithm.SM2, keys(SignatureAlgorithm.SM2));
        JsonNode list = Golden.load(Golden.SIGNATURES).get("signatures");
        assertTrue(list.size() >= 4, "signature vectors for both algorithms");
        for (JsonNode s : list) {
            String name = s.get("name").asText();
            try {
                SignatureAlgorithm alg = SignatureAlgorithm.fromWire(s.get("alg").asText());
                PublicKey key = PublicKey.fromBase64(alg, s.get("public").asText());
                byte[] message = Golden.unhex(s.get("message").asText());
                Signature sig = Signature.fromBase64(KeyId.of(s.get("keyId").asText()), s.get("sig").asText());
                check(failures, name, "key id", s.get("keyId").asText(), key.id().hex());
                key.verify(message, sig);
                check(failures, name, "deterministic", String.valueOf(alg == SignatureAlgorithm.ED25519),
                        s.get("deterministic").asText());
                if (alg == SignatureAlgorithm.ED25519) {
                    check(failures, name, "Ed25519 signature made again", s.get("sig").asText(),
                            keys.get(alg).get("P001").sign(message).base64());
                }
            } catch (RuntimeException e) {
                failures.add(name + ": " + e);
            }
        }
        assertNoFailures("signature vectors", failures);
    }

    // ---------------------------------------------------------------- negative

    @Test
    void negative_requiredDefects_allPresentOnce() {
        List<String> names = new ArrayList<>();
        Golden.load(Golden.NEGATIVE).get("cases").forEach(c -> names.add(c.get("name").asText()));
        Set<String> unique = new HashSet<>(names);
        assertEquals(names.size(), unique.size(), "negative vector names are unique: " + names);
        List<String> missing = REQUIRED_NEGATIVES.stream().filter(n -> !unique.contains(n)).toList();
        assertTrue(missing.isEmpty(), "negative vectors missing: " + missing);
    }

    @Test
    void negative_everyCase_refusedAsExpected() {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode c : Golden.load(Golden.NEGATIVE).get("cases")) {
            count++;
            String name = c.get("name").asText();
            JsonNode expect = c.get("expect");
            String code = expect.get("code").asText();
            RuntimeException thrown;
            try {
                thrown = run(c);
            } catch (RuntimeException e) {
                failures.add(name + ": " + e);
                continue;
            }
            if (thrown == null) {
                failures.add(name + ": accepted, expected " + expect.get("exception").asText() + " (" + code + ")");
                continue;
            }
            check(failures, name, "exception (" + thrown.getMessage() + ")", expect.get("exception").asText(),
                    thrown.getClass().getSimpleName());
            check(failures, name, "integrity code of the exception", code, codeOf(thrown));
            if (FindingCode.valueOf(code).findingClass() != FindingClass.INTEGRITY) {
                failures.add(name + ": " + code + " is not an integrity code");
            }
            if (expect.has("path") && thrown instanceof MalformedRecordException m) {
                check(failures, name, "path of the defect (" + m.getMessage() + ")", expect.get("path").asText(), m.path());
            }
            if (expect.has("message") && !String.valueOf(thrown.getMessage()).contains(expect.get("message").asText())) {
                failures.add(name + ": refused for another reason: expected a message with '" + expect.get("message").asText()
                        + "', got '" + thrown.getMessage() + "'");
            }
        }
        assertTrue(count >= REQUIRED_NEGATIVES.size(), "negative vectors were read");
        assertNoFailures("negative vectors", failures);
    }

    /** Runs one negative case; returns what it threw, or null if it was accepted. */
    private static RuntimeException run(JsonNode c) {
        String check = c.get("check").asText();
        switch (check) {
            case "decode-entry": {
                byte[] input = c.has("text") ? utf8(c.get("text").asText()) : Golden.unhex(c.get("hex").asText());
                try {
                    Entry.decode(input);
                    return null;
                } catch (MalformedRecordException e) {
                    return e;
                }
            }
            case "verify-signature": {
                PublicKey key = PublicKey.fromBase64(SignatureAlgorithm.fromWire(c.get("alg").asText()), c.get("public").asText());
                Signature sig = Signature.fromBase64(KeyId.of(c.get("keyId").asText()), c.get("sig").asText());
                try {
                    key.verify(Golden.unhex(c.get("message").asText()), sig);
                    return null;
                } catch (BadSignatureException e) {
                    return e;
                }
            }
            default:
                throw new IllegalStateException("unknown check '" + check + "'");
        }
    }

    /** The integrity code a verifier reports for each kind of refusal (see EntryChecker and LedgerVerifier). */
    private static String codeOf(RuntimeException e) {
        if (e instanceof MalformedRecordException) {
            return FindingCode.I01.name();
        }
        if (e instanceof BadSignatureException) {
            return FindingCode.I03.name();
        }
        return "none (" + e.getClass().getSimpleName() + ")";
    }
}
