package org.custody.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.crypto.TestKeys;
import org.custody.model.PersonId;
import org.custody.testing.Cast;
import org.custody.testing.Golden;

/**
 * Writes Custody's golden vectors (see {@code src/test/resources/golden/README.md}) from fixed seeds. Run it only
 * when the format changes on purpose, then review the diff and commit it with the change:
 *
 * <pre>
 * cd custody-core
 * ../mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.custody.record.GoldenVectorsGenerator
 * </pre>
 *
 * <p>The optional argument is the output folder (default {@code src/test/resources/golden}, relative to the
 * module folder). The output depends only on the seeds below, so running it twice gives identical files.
 */
public final class GoldenVectorsGenerator {
    /** Seed of the {@link Cast} whose Ed25519 keys sign the ed25519-sha256 ledger. */
    static final long ED25519_SEED = 20210601L;
    /** Seed of the {@link Cast} whose SM2 keys sign the sm2-sm3 ledger. */
    static final long SM2_SEED = 20210602L;
    /** Seed of the random source for SM2 nonces, so regenerated SM2 signatures are the same too. */
    static final long SM2_NONCE_SEED = 32918L;
    /** A user id other than the pinned one, for {@code sm2-signature-wrong-user-id} (GM/T 0003.5's example id). */
    static final byte[] WRONG_USER_ID = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
    static final String KEY_LABEL = "custody/key/v1\n";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<Suite, Map<String, SigningKey>> keys = new LinkedHashMap<>();
    private final Map<Suite, List<Entry>> ledgers = new LinkedHashMap<>();
    private final SecureRandom sm2Nonces = Cast.seeded(SM2_NONCE_SEED);
    /**
     * SM2 nonces for the entries added after the first seven ({@code stationIdleMinutes}): a source of their own, so the
     * vectors written before (the first seven entries, signatures.json, negative.json) keep their bytes.
     */
    private final SecureRandom laterNonces = Cast.seeded(SM2_NONCE_SEED + 7);

    private GoldenVectorsGenerator() {
        for (Suite suite : Suite.values()) {
            Cast cast = new Cast(suite, suite == Suite.ED25519_SHA256 ? ED25519_SEED : SM2_SEED);
            Map<String, SigningKey> people = new LinkedHashMap<>();
            GoldenFixtures.PEOPLE.forEach(p -> people.put(p, cast.key(p)));
            keys.put(suite, people);
        }
        for (Suite suite : Suite.values()) {
            Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
            keys.get(suite).forEach((p, k) -> publicKeys.put(p, k.publicKey()));
            ledgers.put(suite, GoldenFixtures.chain(suite, publicKeys,
                    (seq, person, bytes) -> sign(keys.get(suite).get(person.value()), bytes, seq < 7 ? sm2Nonces : laterNonces)));
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
        Files.createDirectories(out);
        for (Map.Entry<String, JsonNode> file : generate().entrySet()) {
            Path target = out.resolve(file.getKey());
            Files.write(target, Golden.render(file.getValue()));
            System.out.println("wrote " + target.toAbsolutePath());
        }
    }

    /** Every golden vector file, by file name. */
    static Map<String, JsonNode> generate() {
        GoldenVectorsGenerator g = new GoldenVectorsGenerator();
        Map<String, JsonNode> files = new LinkedHashMap<>();
        files.put(Golden.KEYS, g.keysFile());
        for (Suite suite : Suite.values()) {
            files.put(Golden.ledgerFile(suite.wire()), g.ledgerFile(suite));
        }
        files.put(Golden.SIGNATURES, g.signaturesFile());
        files.put(Golden.NEGATIVE, g.negativeFile());
        return files;
    }

    /** Ed25519 signatures are deterministic; SM2 nonces come from the seeded {@link #sm2Nonces}. */
    private Signature sign(SigningKey key, byte[] message) {
        return sign(key, message, sm2Nonces);
    }

    private static Signature sign(SigningKey key, byte[] message, SecureRandom nonces) {
        return key.algorithm() == SignatureAlgorithm.ED25519
                ? key.sign(message)
                : TestKeys.signSm2(key, message, TestKeys.sm2UserId(), nonces);
    }

    // ---------------------------------------------------------------- keys.json

    private JsonNode keysFile() {
        ObjectNode file = JSON.objectNode();
        file.put("description", "Test keys (never use them for anything real): raw private keys, public keys and key ids."
                + " keyId = first 16 bytes (32 hex digits) of H(keyIdInput), keyIdInput = \"custody/key/v1\\n\" || alg"
                + " || \"\\n\" || raw public key, H = SHA-256 for ed25519 and SM3 for sm2. For sm2, z is"
                + " SM3(ENTL || user id || a || b || xG || yG || xA || yA) with the pinned user id.");
        file.put("keyIdLabel", KEY_LABEL);
        file.put("sm2UserId", new String(TestKeys.sm2UserId(), StandardCharsets.US_ASCII));
        ArrayNode list = file.putArray("keys");
        keys.forEach((suite, people) -> people.forEach((person, key) -> {
            PublicKey pub = key.publicKey();
            ObjectNode k = list.addObject();
            k.put("name", suite.signature().wire() + "-" + person);
            k.put("person", person);
            k.put("alg", pub.algorithm().wire());
            k.put("private", Golden.hex(TestKeys.privateKey(key)));
            k.put("public", pub.base64());
            k.put("publicHex", Golden.hex(pub.encoded()));
            k.put("keyIdInput", Golden.hex(keyIdInput(pub)));
            k.put("keyId", pub.id().hex());
            if (pub.algorithm() == SignatureAlgorithm.SM2) {
                k.put("z", Golden.hex(TestKeys.sm2Z(pub, TestKeys.sm2UserId())));
            }
        }));
        return file;
    }

    static byte[] keyIdInput(PublicKey key) {
        byte[] prefix = (KEY_LABEL + key.algorithm().wire() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] raw = key.encoded();
        byte[] out = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(raw, 0, out, prefix.length, raw.length);
        return out;
    }

    // ---------------------------------------------------------------- ledger-<suite>.json

    private JsonNode ledgerFile(Suite suite) {
        ObjectNode file = JSON.objectNode();
        file.put("description", "An eight-entry " + suite.wire() + " ledger, one record of each type but schedule. record and entry are"
                + " the canonical (RFC 8785) UTF-8 text; signed = hex of \"custody/record/v1\\n\" || record, the bytes"
                + " every party signs; hash = H(\"custody/entry/v1\\n\" || entry), given under both hashes"
                + " (this ledger chains with " + suite.hash().wire() + ").");
        file.put("suite", suite.wire());
        file.put("hash", suite.hash().wire());
        file.put("recordLabel", RecordCodec.SIGNED_LABEL);
        file.put("entryLabel", Entry.HASH_LABEL);
        ArrayNode entries = file.putArray("entries");
        ledgers.get(suite).forEach(entry -> entries.add(entryNode(entry)));
        return file;
    }

    /**
     * One entry as the vector files list it: seq, type, prev, record (canonical text), signed (hex), signatures by person,
     * entry (canonical text) and its hash under both algorithms.
     */
    static ObjectNode entryNode(Entry entry) {
        ObjectNode e = JSON.objectNode();
        e.put("seq", entry.seq());
        e.put("type", entry.record().type());
        e.put("prev", entry.prev().hex());
        e.put("record", new String(entry.signed().canonicalRecord(), StandardCharsets.UTF_8));
        e.put("signed", Golden.hex(entry.signed().signedBytes()));
        ArrayNode sigs = e.putArray("signatures");
        List<PersonId> parties = entry.record().parties();
        for (int i = 0; i < parties.size(); i++) {
            Signature s = entry.signatures().get(i);
            sigs.addObject().put("person", parties.get(i).value()).put("key", s.key().hex()).put("sig", s.base64());
        }
        e.put("entry", new String(entry.canonicalBytes(), StandardCharsets.UTF_8));
        ObjectNode hashes = e.putObject("hash");
        for (HashAlgorithm h : HashAlgorithm.values()) {
            hashes.put(h.wire(), entry.hash(h).hex());
        }
        return e;
    }

    // ---------------------------------------------------------------- signatures.json

    private JsonNode signaturesFile() {
        ObjectNode file = JSON.objectNode();
        file.put("description", "Signatures of P001's keys over short messages (hex). Ed25519 is deterministic:"
                + " re-signing gives the same value. SM2 is randomised: the value must verify, re-signing gives another.");
        ArrayNode list = file.putArray("signatures");
        Map<String, byte[]> messages = new LinkedHashMap<>();
        messages.put("empty", new byte[0]);
        messages.put("abc", "abc".getBytes(StandardCharsets.US_ASCII));
        messages.put("record-label", RecordCodec.SIGNED_LABEL.getBytes(StandardCharsets.US_ASCII));
        for (Suite suite : Suite.values()) {
            SigningKey key = keys.get(suite).get("P001");
            messages.forEach((name, message) -> {
                ObjectNode s = list.addObject();
                s.put("name", suite.signature().wire() + "-" + name);
                s.put("alg", suite.signature().wire());
                s.put("public", key.publicKey().base64());
                s.put("keyId", key.id().hex());
                s.put("message", Golden.hex(message));
                s.put("sig", sign(key, message).base64());
                s.put("deterministic", suite.signature() == SignatureAlgorithm.ED25519);
            });
        }
        return file;
    }

    // ---------------------------------------------------------------- negative.json

    private JsonNode negativeFile() {
        ObjectNode file = JSON.objectNode();
        file.put("description", "Inputs that must be refused, named after their defect. check decode-entry: decode the"
                + " input bytes (text: its UTF-8 encoding; hex: for bytes that are not UTF-8 or start with a byte order"
                + " mark) as a stored entry; it is malformed (I01)."
                + " check verify-signature: verify sig (base64) by the key public/keyId over message (hex); it does not"
                + " verify (I03). expect.exception, expect.path (JSON path of the defect,"
                + " empty for the whole input) and expect.message (a part of the message) are what Custody's Java code"
                + " throws; other implementations need only refuse the input.");
        ArrayNode list = file.putArray("cases");
        List<Entry> ed = ledgers.get(Suite.ED25519_SHA256);
        List<Entry> sm = ledgers.get(Suite.SM2_SM3);
        Entry handoff = ed.get(3);
        String handoffText = text(handoff);

        decode(list, "entry-non-canonical-whitespace", "a space after the first colon; JSON, but not RFC 8785 canonical",
                utf8(handoffText.replaceFirst("\":", "\": ")), "", "canonical form");
        String seqField = "\"seq\":" + handoff.seq();
        decode(list, "entry-non-canonical-key-order", "seq moved before prev; canonical JSON sorts object keys",
                utf8("{" + seqField + "," + handoffText.substring(1).replace("," + seqField + ",", ",")), "",
                "canonical form");
        decode(list, "entry-unknown-field", "an extra top-level field \"comment\"",
                mutate(handoff, e -> e.put("comment", "extra")), "comment");
        String appended = handoff.appended().orElseThrow().toString();
        decode(list, "entry-appended-offset", "the append time written with a +08:00 offset, not in UTC with Z",
                mutate(handoff, e -> e.put("appended", appended.replace("15:32:30.375Z", "23:32:30.375+08:00"))), "appended");
        decode(list, "entry-appended-extra-digits", "the append time with 6 fraction digits; the same instant, not canonical",
                mutate(handoff, e -> e.put("appended", appended.replace(".375Z", ".375000Z"))), "appended", "canonical form");
        decode(list, "entry-appended-number", "the append time as a number of milliseconds since 1970",
                mutate(handoff, e -> e.put("appended", handoff.appended().orElseThrow().toEpochMilli())), "appended");
        decode(list, "entry-appended-sub-millisecond", "the append time with microseconds (.375001): times have milliseconds at most",
                mutate(handoff, e -> e.put("appended", appended.replace(".375Z", ".375001Z"))), "appended", "sub-millisecond");
        decode(list, "entry-appended-before-1970", "the append time in 1969: times lie in 1970-9999",
                mutate(handoff, e -> e.put("appended", "1969-12-31T23:59:59Z")), "appended", "outside 1970-9999");
        Entry register = ed.get(2);
        decode(list, "entry-register-nothing", "a registration with neither bags nor places",
                mutate(register, e -> {
                    ((ObjectNode) e.get("record")).remove("bags");
                    ((ObjectNode) e.get("record")).remove("places");
                }), "record", "1-1000 bags");
        decode(list, "entry-place-room-without-site", "a registered exam room without its site",
                mutate(register, e -> ((ObjectNode) e.get("record").get("places").get(1)).remove("site")), "record.places[1]", "needs its site");
        decode(list, "entry-place-unknown-kind", "a registered place of kind \"office\" (vault or room)",
                mutate(register, e -> ((ObjectNode) e.get("record").get("places").get(0)).put("kind", "office")), "record.places[0].kind");
        decode(list, "entry-register-places-empty", "a registration whose places array is empty (omit it instead)",
                mutate(register, e -> ((ObjectNode) e.get("record")).putArray("places")), "record.places");
        decode(list, "entry-place-twice", "the same place id registered twice in one record",
                mutate(register, e -> ((ArrayNode) e.get("record").get("places")).add(e.get("record").get("places").get(0).deepCopy())),
                "record", "registered twice");
        decode(list, "entry-place-vault-with-room", "a vault with a room number (only rooms have one)",
                mutate(register, e -> ((ObjectNode) e.get("record").get("places").get(0)).put("room", "01")), "record.places[0]",
                "only rooms have one");
        Entry policy = ed.get(6);
        decode(list, "entry-policy-future-tolerance-11", "a policy allowing records 11 minutes ahead of the clock (0-10)",
                mutate(policy, e -> ((ObjectNode) e.get("record")).put("futureToleranceMinutes", 11)), "record", "futureTolerance");
        decode(list, "entry-policy-record-within-zero", "a policy whose records must be appended within 0 minutes (1-10080)",
                mutate(policy, e -> ((ObjectNode) e.get("record")).put("recordWithinMinutes", 0)), "record", "recordWithin");
        decode(list, "entry-policy-station-idle-61", "a policy letting a handoff station stand idle 61 minutes before it locks (1-60)",
                mutate(ed.get(7), e -> ((ObjectNode) e.get("record")).put("stationIdleMinutes", 61)), "record", "stationIdle");
        decode(list, "entry-appended-year-10000", "the append time in the year 10000: times lie in 1970-9999",
                mutate(handoff, e -> e.put("appended", "+10000-01-01T00:00:00Z")), "appended");
        decode(list, "entry-bag-invigilators-one", "a bag whose room needs 1 invigilator (2-16, or absent for 2)",
                mutate(register, e -> ((ObjectNode) e.get("record").get("bags").get(0)).put("invigilators", 1)),
                "record.bags[0].id", "2-16 invigilators");
        decode(list, "entry-bag-invigilators-text", "a bag's invigilators written as the string \"3\"",
                mutate(register, e -> ((ObjectNode) e.get("record").get("bags").get(0)).put("invigilators", "3")),
                "record.bags[0].invigilators");
        String prevField = "\"prev\":\"" + handoff.prev().hex() + "\"";
        decode(list, "entry-duplicate-key", "the field prev appears twice, with the same value",
                utf8(handoffText.replaceFirst(Pattern.quote(prevField), prevField + "," + prevField)), "",
                "Duplicate field");
        decode(list, "entry-trailing-data", "a second JSON value after the entry",
                concat(handoff.canonicalBytes(), utf8("{}")), "", "Trailing token");
        decode(list, "entry-trailing-newline", "a line feed after the entry",
                concat(handoff.canonicalBytes(), utf8("\n")), "", "canonical form");
        decode(list, "entry-utf8-bom", "a UTF-8 byte order mark before the entry",
                concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, handoff.canonicalBytes()), "",
                "canonical form");
        byte[] invalid = handoff.canonicalBytes();
        int first = indexOf(invalid, utf8("入"));
        invalid[first] = (byte) 0xff;
        decode(list, "entry-invalid-utf8", "the first byte of a character in the note replaced by 0xff", invalid, "",
                "Invalid UTF-8");
        decode(list, "entry-not-object", "a JSON array, not an object", utf8("[]"), "", "expected a JSON object");
        decode(list, "entry-json-null", "the JSON value null", utf8("null"), "", "expected a JSON object");
        decode(list, "entry-empty", "no bytes at all", new byte[0], "", "empty input");
        decode(list, "entry-non-canonical-number", "seq written as 3.0; canonical JSON writes 3",
                utf8(handoffText.replace(seqField + ",", seqField + ".0,")), "", "canonical form");
        decode(list, "entry-non-canonical-string-escape", "the letter o in the note written as \\u006f",
                utf8(handoffText.replace(" ok\"", " \\u006fk\"")), "", "canonical form");
        byte[] overlong = handoff.canonicalBytes();
        int ok = indexOf(overlong, utf8(" ok\""));
        overlong = concat(concat(Arrays.copyOf(overlong, ok + 1), new byte[] {(byte) 0xc1, (byte) 0xaf}),
                Arrays.copyOfRange(overlong, ok + 2, overlong.length));
        decode(list, "entry-overlong-utf8", "the letter o in the note as the overlong UTF-8 sequence c1 af", overlong,
                "", "canonical form");
        decode(list, "entry-lone-surrogate", "the note starts with the escaped lone surrogate \\ud800 (RFC 8785"
                        + " 3.2.2.2)",
                utf8(handoffText.replace("\"note\":\"", "\"note\":\"\\ud800")), "", "lone surrogate");
        decode(list, "entry-seq-negative", "seq is -1", mutate(handoff, e -> e.put("seq", -1)), "seq");
        decode(list, "entry-empty-signatures", "an empty signatures array",
                mutate(handoff, e -> e.putArray("signatures")), "signatures");
        decode(list, "entry-duplicate-signature", "the first signature listed twice",
                mutate(handoff, e -> ((ArrayNode) e.get("signatures")).add(e.get("signatures").get(0).deepCopy())),
                "signatures");
        decode(list, "record-empty-witnesses-array", "witnesses is [] instead of being omitted",
                mutateRecord(handoff, r -> r.putArray("witnesses")), "record.witnesses");
        decode(list, "record-null-field", "note is null instead of being omitted",
                mutateRecord(handoff, r -> r.putNull("note")), "record.note");
        decode(list, "record-empty-string", "note is \"\" instead of being omitted",
                mutateRecord(handoff, r -> r.put("note", "")), "record");
        decode(list, "record-missing-field", "the required field to is missing",
                mutateRecord(handoff, r -> r.remove("to")), "record.to");
        decode(list, "record-unknown-field", "an extra record field \"weather\"",
                mutateRecord(handoff, r -> r.put("weather", "rain")), "record.weather");
        decode(list, "record-unsupported-version", "record format version 2",
                mutateRecord(handoff, r -> r.put("v", 2)), "record.v");
        decode(list, "record-unknown-type", "record type \"transfer\"",
                mutateRecord(handoff, r -> r.put("type", "transfer")), "record.type");
        decode(list, "time-not-canonical", "at written as .25Z; the canonical form has exactly 3 fraction digits or none",
                mutateRecord(handoff, r -> r.put("at", "2021-06-06T15:30:00.25Z")), "record.at");
        decode(list, "time-sub-millisecond", "at has microseconds; times are truncated to milliseconds",
                mutateRecord(handoff, r -> r.put("at", "2021-06-06T15:30:00.250001Z")), "record");
        decode(list, "hash-uppercase-hex", "prev in uppercase hex",
                mutate(handoff, e -> e.put("prev", handoff.prev().hex().toUpperCase(Locale.ROOT))), "prev");
        decode(list, "key-id-uppercase-hex", "the first signature's key id in uppercase hex",
                mutate(handoff, e -> sig(e, 0).put("key", handoff.signatures().get(0).key().hex().toUpperCase(Locale.ROOT))),
                "signatures[0].key");
        String sig0 = handoff.signatures().get(0).base64();
        decode(list, "signature-base64-unpadded", "the first signature without its == padding",
                mutate(handoff, e -> sig(e, 0).put("sig", sig0.replace("=", ""))), "signatures[0].sig");
        decode(list, "signature-base64-nonzero-padding-bits", "the first signature's last base64 digit with a"
                        + " non-zero unused bit; it decodes to the same bytes but is not the canonical encoding",
                mutate(handoff, e -> sig(e, 0).put("sig", withUnusedBitSet(sig0))), "signatures[0].sig");
        int urlIndex = indexOfUrlUnsafe(handoff.signatures());
        decode(list, "signature-base64-url-alphabet", "a signature in the URL-safe base64 alphabet (- and _)",
                mutate(handoff, e -> sig(e, urlIndex).put("sig",
                        handoff.signatures().get(urlIndex).base64().replace('+', '-').replace('/', '_'))),
                "signatures[" + urlIndex + "].sig");
        Entry genesis = ed.get(0);
        decode(list, "roles-unsorted", "a founder's roles not in ascending order",
                mutateRecord(genesis, r -> roles(r, 1).removeAll().add("confidentiality_officer").add("chief_examiner")),
                "record.founders[1].person.roles");
        decode(list, "roles-duplicate", "a founder's role listed twice",
                mutateRecord(genesis, r -> roles(r, 0).add("confidentiality_officer")), "record.founders[0].person.roles");
        Entry smGenesis = sm.get(0);
        byte[] offCurve = ((Genesis) smGenesis.record()).founders().get(0).key().encoded();
        offCurve[offCurve.length - 1] ^= 1;
        decode(list, "sm2-public-key-not-on-curve", "the last bit of a founder's SM2 public key flipped",
                mutateRecord(smGenesis, r -> ((ObjectNode) r.get("founders").get(0).get("key"))
                        .put("public", Base64.getEncoder().encodeToString(offCurve))), "record.founders[0].key.public");

        Map<String, SigningKey> edKeys = keys.get(Suite.ED25519_SHA256);
        byte[] signed = handoff.signed().signedBytes();
        Signature good = handoff.signatures().get(0);
        verify(list, "signature-flipped-bit", "bit 0 of the first signature byte flipped",
                edKeys.get("P001").publicKey(), signed, flip(good));
        verify(list, "signature-wrong-key", "P001's signature presented as P002's, under P002's key",
                edKeys.get("P002").publicKey(), signed, Signature.of(edKeys.get("P002").id(), good.valueBytes()));
        verify(list, "signature-names-other-key", "P001's valid signature, but naming P002's key id",
                edKeys.get("P001").publicKey(), signed, Signature.of(edKeys.get("P002").id(), good.valueBytes()));
        verify(list, "signature-missing-label", "signed over the canonical record without \"custody/record/v1\\n\"",
                edKeys.get("P001").publicKey(), signed, edKeys.get("P001").sign(handoff.signed().canonicalRecord()));
        Entry smHandoff = sm.get(3);
        SigningKey smKey = keys.get(Suite.SM2_SM3).get("P001");
        byte[] smSigned = smHandoff.signed().signedBytes();
        verify(list, "sm2-signature-flipped-bit", "bit 0 of the first SM2 signature byte flipped",
                smKey.publicKey(), smSigned, flip(smHandoff.signatures().get(0)));
        verify(list, "sm2-signature-wrong-user-id", "an SM2 signature made with user id ALICE123@YAHOO.COM",
                smKey.publicKey(), smSigned, TestKeys.signSm2(smKey, smSigned, WRONG_USER_ID, sm2Nonces));
        return file;
    }

    private static void decode(ArrayNode list, String name, String description, byte[] input, String path) {
        decode(list, name, description, input, path, null);
    }

    /** {@code reason}: a part of Custody's error message, for cases whose path (the whole input) says little. */
    private static void decode(ArrayNode list, String name, String description, byte[] input, String path,
                               String reason) {
        ObjectNode c = list.addObject();
        c.put("name", name);
        c.put("description", description);
        c.put("check", "decode-entry");
        String text = Golden.textIfUtf8(input);
        if (text != null && !text.startsWith("\uFEFF")) {
            c.put("text", text);
        } else {
            c.put("hex", Golden.hex(input));
        }
        ObjectNode expect = c.putObject("expect").put("exception", MalformedRecordException.class.getSimpleName())
                .put("path", path);
        if (reason != null) {
            expect.put("message", reason);
        }
        expect.put("code", "I01");
    }

    private static void verify(ArrayNode list, String name, String description, PublicKey key, byte[] message,
                               Signature sig) {
        ObjectNode c = list.addObject();
        c.put("name", name);
        c.put("description", description);
        c.put("check", "verify-signature");
        c.put("alg", key.algorithm().wire());
        c.put("public", key.base64());
        c.put("keyId", sig.key().hex());
        c.put("message", Golden.hex(message));
        c.put("sig", sig.base64());
        c.putObject("expect").put("exception", "BadSignatureException").put("code", "I03");
    }

    private static String text(Entry entry) {
        return new String(entry.canonicalBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The entry's JSON changed by {@code change}, written canonically again: only the change is wrong. */
    private static byte[] mutate(Entry entry, Consumer<ObjectNode> change) {
        try {
            ObjectNode tree = (ObjectNode) Golden.json().readTree(entry.canonicalBytes());
            change.accept(tree);
            return Canonical.bytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mutateRecord(Entry entry, Consumer<ObjectNode> change) {
        return mutate(entry, e -> change.accept((ObjectNode) e.get("record")));
    }

    private static ObjectNode sig(ObjectNode entry, int i) {
        return (ObjectNode) entry.get("signatures").get(i);
    }

    private static ArrayNode roles(ObjectNode genesis, int founder) {
        return (ArrayNode) genesis.get("founders").get(founder).get("person").get("roles");
    }

    private static int indexOfUrlUnsafe(List<Signature> signatures) {
        for (int i = 0; i < signatures.size(); i++) {
            String b64 = signatures.get(i).base64();
            if (b64.indexOf('+') >= 0 || b64.indexOf('/') >= 0) {
                return i;
            }
        }
        throw new IllegalStateException("no signature contains + or /; pick another entry for this case");
    }

    /** {@code base64} (of a length that needs == padding) with the lowest unused bit of its last digit set. */
    private static String withUnusedBitSet(String base64) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        if (!base64.endsWith("==")) {
            throw new IllegalStateException("expected a value padded with ==");
        }
        int last = base64.length() - 3;
        char digit = alphabet.charAt(alphabet.indexOf(base64.charAt(last)) | 1);
        return base64.substring(0, last) + digit + "==";
    }

    private static Signature flip(Signature s) {
        byte[] v = s.valueBytes();
        v[0] ^= 1;
        return Signature.of(s.key(), v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
