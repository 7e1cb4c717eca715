package org.custody.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.TestKeys;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.TreeHasher;
import org.custody.testing.Cast;
import org.custody.testing.Golden;

/**
 * Writes the checkpoint vectors ({@code src/test/resources/checkpoint/vectors.json}, see the README there). Run it only
 * when a format changes on purpose, then review the diff and commit it (from {@code custody-core}):
 *
 * <pre>
 * ../mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.custody.checkpoint.CheckpointVectorsGenerator
 * </pre>
 *
 * <p>Nothing is random: keys come from fixed labels and SM2 nonces from a seeded source, so running it twice writes the
 * same file. Every case is run through {@link CheckpointVectors#mismatch} before it is written, so the file never
 * holds a case Custody does not meet.
 */
public final class CheckpointVectorsGenerator {
    static final String FOLDER = "/checkpoint/";
    static final String FILE = "vectors.json";
    /** Cosignature and witness time of the vectors: 2021-06-07T07:13:20Z. */
    static final long TIME = 1_623_050_000L;
    static final String INSPECTOR_SM2 = "inspector.custody.example/P008";
    private static final long SM2_NONCE_SEED = 51_873L;
    private static final int LEAVES = 21;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom sm2Nonces = Cast.seeded(SM2_NONCE_SEED);
    private final SigningKey logKey = Fixtures.key(SignatureAlgorithm.ED25519, "log");
    private final SigningKey logSm2Key = Fixtures.key(SignatureAlgorithm.SM2, "log");
    private final NoteSigner log = Fixtures.signer(Fixtures.LOG, logKey, false, sm2Nonces);
    private final NoteSigner logSm2 = Fixtures.signer(Fixtures.LOG_SM2, logSm2Key, false, sm2Nonces);
    private final NoteSigner inspector1 = signer(Fixtures.INSPECTOR_1, SignatureAlgorithm.ED25519, true);
    private final NoteSigner inspector2 = signer(Fixtures.INSPECTOR_2, SignatureAlgorithm.ED25519, true);
    private final NoteSigner inspectorSm2 = signer(INSPECTOR_SM2, SignatureAlgorithm.SM2, true);
    private final NoteSigner stranger = signer(Fixtures.STRANGER, SignatureAlgorithm.ED25519, false);
    private final MemoryTree tree = Fixtures.tree(HashAlgorithm.SHA_256, LEAVES);
    private final MemoryTree treeSm3 = Fixtures.tree(HashAlgorithm.SM3, LEAVES);
    private final Path scratch;

    private CheckpointVectorsGenerator(Path scratch) {
        this.scratch = scratch;
    }

    private NoteSigner signer(String name, SignatureAlgorithm algorithm, boolean cosigner) {
        return Fixtures.signer(name, Fixtures.key(algorithm, name), cosigner, sm2Nonces);
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/checkpoint");
        Files.createDirectories(out);
        Files.write(out.resolve(FILE), Golden.render(generate()));
    }

    /** The vector file. */
    static JsonNode generate() {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("checkpoint-vectors");
            return new CheckpointVectorsGenerator(scratch).vectors();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            CheckpointVectors.deleteTree(scratch);
        }
    }

    private ObjectNode vectors() {
        ObjectNode file = JSON.objectNode();
        file.put("description", "Custody checkpoint vectors: signed notes (C2SP signed-note), checkpoint bodies "
                + "(tlog-checkpoint), cosignatures (tlog-cosignature) and witness decisions. See README.md.");
        file.put("time", TIME);
        ArrayNode keys = file.putArray("keys");
        key(keys, log, "log", logKey);
        key(keys, logSm2, "log", logSm2Key);
        key(keys, inspector1, "inspector", Fixtures.key(SignatureAlgorithm.ED25519, Fixtures.INSPECTOR_1));
        key(keys, inspector2, "inspector", Fixtures.key(SignatureAlgorithm.ED25519, Fixtures.INSPECTOR_2));
        key(keys, inspectorSm2, "inspector", Fixtures.key(SignatureAlgorithm.SM2, INSPECTOR_SM2));
        key(keys, stranger, "stranger", Fixtures.key(SignatureAlgorithm.ED25519, Fixtures.STRANGER));
        ArrayNode cases = file.putArray("cases");
        validNotes(cases);
        malformedNotes(cases);
        unverifiedNotes(cases);
        witnessCases(cases);
        for (JsonNode c : cases) {
            String problem = CheckpointVectors.mismatch(c, scratch.resolve(c.get("name").asText()));
            if (problem != null) {
                throw new IllegalStateException("case " + c.get("name").asText() + ": " + problem);
            }
        }
        return file;
    }

    private static void key(ArrayNode out, NoteSigner signer, String role, SigningKey key) {
        out.addObject().put("name", signer.key().name()).put("role", role)
                .put("type", CheckpointVectors.typeName(signer.key().type()))
                .put("vkey", signer.key().toString())
                .put("private", HEX.formatHex(TestKeys.privateKey(key)));
    }

    private Checkpoint checkpoint(long size) {
        return Fixtures.checkpoint(Fixtures.LOG, HashAlgorithm.SHA_256, tree, size);
    }

    private Checkpoint checkpointSm3(long size) {
        return Fixtures.checkpoint(Fixtures.LOG_SM2, HashAlgorithm.SM3, treeSm3, size);
    }

    private SignedNote cosigned(NoteSigner by, Checkpoint c, NoteSigner... cosigners) {
        SignedNote note = by.sign(c.text());
        for (NoteSigner s : cosigners) {
            note = note.withSignature(s.cosignature(note.text(), TIME));
        }
        return note;
    }

    private static ArrayNode names(String... names) {
        ArrayNode out = JSON.arrayNode();
        Arrays.stream(names).forEach(out::add);
        return out;
    }

    private static ObjectNode require(int n, String... names) {
        ObjectNode r = JSON.objectNode().put("n", n);
        r.set("names", names(names));
        return r;
    }

    private static ObjectNode verifyCase(ArrayNode out, String name, String description, String note, List<NoteKey> keys,
            ObjectNode... requirements) {
        ObjectNode c = out.addObject().put("name", name).put("description", description).put("check", "verify");
        c.put("note", note);
        ArrayNode k = c.putArray("keys");
        keys.forEach(key -> k.add(key.toString()));
        ArrayNode r = c.putArray("require");
        Arrays.stream(requirements).forEach(r::add);
        return c;
    }

    private static void valid(ObjectNode c, Checkpoint expected) {
        c.put("valid", true);
        ObjectNode cp = c.putObject("checkpoint").put("origin", expected.origin()).put("size", expected.size())
                .put("root", NoteText.base64(expected.root().bytes()));
        ArrayNode ext = cp.putArray("extensions");
        expected.extensions().forEach(ext::add);
    }

    private static void refused(ObjectNode c, String exception, String reason, int line, String message) {
        c.put("valid", false);
        ObjectNode e = c.putObject("expect").put("exception", exception);
        if (reason != null) {
            e.put("reason", reason);
        }
        if (line > 0) {
            e.put("line", line);
        }
        e.put("message", message);
    }

    private void validNotes(ArrayNode out) {
        Checkpoint c13 = checkpoint(13);
        valid(verifyCase(out, "checkpoint-ed25519", "a checkpoint of 13 entries signed by the log (Ed25519, SHA-256 tree)",
                log.sign(c13.text()).toString(), List.of(log.key()), require(1, Fixtures.LOG)), c13);
        Checkpoint s13 = checkpointSm3(13);
        valid(verifyCase(out, "checkpoint-sm2", "a checkpoint of 13 entries signed by an SM2 log (Custody SM2 type, SM3 tree)",
                logSm2.sign(s13.text()).toString(), List.of(logSm2.key()), require(1, Fixtures.LOG_SM2)), s13);
        SignedNote cosigned = stranger.sign(cosigned(log, c13, inspector1, inspector2));
        ObjectNode fresh = require(2, Fixtures.INSPECTOR_1, Fixtures.INSPECTOR_2).put("cosignedNotBefore", TIME);
        valid(verifyCase(out, "checkpoint-cosigned", "the log's signature, cosignatures by two inspectors (cosignature/v1) "
                + "and a signature by a key the verifier does not know, which is ignored", cosigned.toString(),
                List.of(log.key(), inspector1.key(), inspector2.key()), require(1, Fixtures.LOG), fresh), c13);
        valid(verifyCase(out, "checkpoint-sm2-cosigned", "an SM2 log's checkpoint cosigned by an SM2 inspector (Custody SM2 cosignature)",
                cosigned(logSm2, s13, inspectorSm2).toString(), List.of(logSm2.key(), inspectorSm2.key()),
                require(1, Fixtures.LOG_SM2), require(1, INSPECTOR_SM2).put("cosignedNotBefore", TIME)), s13);
        Checkpoint ext = new Checkpoint(Fixtures.LOG, 13, c13.root(), List.of("exam HN-ZSB-2021", "\u8003\u573a 0301 \u2014 x"));
        valid(verifyCase(out, "checkpoint-extension-lines", "two opaque extension lines after the root hash",
                log.sign(ext.text()).toString(), List.of(log.key()), require(1, Fixtures.LOG)), ext);
        Checkpoint empty = checkpoint(0);
        valid(verifyCase(out, "checkpoint-empty-tree", "size 0: the root is SHA-256 of the empty string",
                log.sign(empty.text()).toString(), List.of(log.key())), empty);
        Checkpoint largest = Checkpoint.of(Fixtures.LOG, Long.MAX_VALUE, c13.root());
        valid(verifyCase(out, "checkpoint-largest-size", "size 2^63-1, the largest accepted (the root is not that tree's)",
                log.sign(largest.text()).toString(), List.of(log.key())), largest);
    }

    /** A note whose text is {@code text}, validly signed by the log over exactly those bytes. */
    private String signedAnyway(String text) {
        byte[] sig = logKey.sign(Fixtures.utf8(text)).valueBytes();
        return text + "\n" + new NoteSignature(Fixtures.LOG, log.key().idValue(), sig).line() + "\n";
    }

    private void malformedNotes(ArrayNode out) {
        String good = log.sign(checkpoint(13).text()).toString();
        String body = checkpoint(13).text();
        String root = NoteText.base64(checkpoint(13).root().bytes());
        List<NoteKey> keys = List.of(log.key());
        String m = "MalformedNoteException";
        refused(verifyCase(out, "missing-trailing-newline", "the last signature line does not end in a newline",
                good.substring(0, good.length() - 1), keys), m, null, 5, "does not end in a newline");
        refused(verifyCase(out, "size-leading-zero", "tree size 013", signedAnyway(body.replace("\n13\n", "\n013\n")), keys),
                m, null, 2, "leading zero");
        refused(verifyCase(out, "size-2-pow-63", "tree size 9223372036854775808, one more than the largest",
                signedAnyway(body.replace("\n13\n", "\n9223372036854775808\n")), keys), m, null, 2, "2^63 or more");
        refused(verifyCase(out, "root-wrong-length", "a root hash of 31 bytes",
                signedAnyway(body.replace(root, NoteText.base64(Arrays.copyOf(checkpoint(13).root().bytes(), 31)))), keys),
                m, null, 3, "31 bytes, expected 32");
        refused(verifyCase(out, "root-not-canonical-base64", "the root hash's last base64 digit has spare bits set",
                signedAnyway(body.replace(root, root.substring(0, 42) + spareBits(root.charAt(42)) + "=")), keys),
                m, null, 3, "not canonical base64");
        refused(verifyCase(out, "origin-trailing-space", "a space after the origin",
                signedAnyway(body.replace(Fixtures.LOG + "\n", Fixtures.LOG + " \n")), keys), m, null, 1, "trailing space");
        refused(verifyCase(out, "extension-line-empty", "a blank line among the extension lines",
                signedAnyway(body + "\nexam HN-ZSB-2021\n"), keys), m, null, 4, "extension line is empty");
        refused(verifyCase(out, "em-dash-missing", "the signature line starts with a hyphen-minus instead of U+2014",
                good.replace("\u2014 ", "- "), keys), m, null, 5, "em dash");
        refused(verifyCase(out, "extra-blank-line", "two blank lines between the text and the signatures",
                good.replace("\n\n\u2014", "\n\n\n\u2014"), keys), m, null, 4, "extra blank line");
        refused(verifyCase(out, "no-signature-lines", "the text and the blank line, nothing after", body + "\n", keys),
                m, null, 5, "at least one signature line");
        refused(verifyCase(out, "signature-line-duplicated", "the same key's line twice",
                good + good.substring(good.indexOf('\u2014')), keys), m, null, 6, "repeats the key");
        StringBuilder many = new StringBuilder(good);
        for (int i = 0; i < NoteText.MAX_SIGNATURES; i++) {
            many.append(new NoteSignature("w" + i + ".example", i, new byte[64]).line()).append('\n');
        }
        refused(verifyCase(out, "too-many-signatures", "101 signature lines, more than the 100 Custody reads",
                many.toString(), keys), m, null, 105, "more than 100");
        refused(verifyCase(out, "carriage-return", "CRLF line ends", good.replace("\n", "\r\n"), keys),
                m, null, 1, "control character");
        ObjectNode invalidUtf8 = verifyCase(out, "invalid-utf8", "byte 0xff in the origin (the note is given as hex)",
                "", keys);
        invalidUtf8.remove("note");
        byte[] bytes = Fixtures.utf8(good);
        bytes[3] = (byte) 0xff;
        invalidUtf8.put("hex", HEX.formatHex(bytes));
        refused(invalidUtf8, m, null, 1, "not valid UTF-8");
    }

    private static char spareBits(char last) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return alphabet.charAt(alphabet.indexOf(last) ^ 1);
    }

    private void unverifiedNotes(ArrayNode out) {
        Checkpoint c13 = checkpoint(13);
        String v = "NoteVerificationException";
        refused(verifyCase(out, "signature-unknown-key", "signed only by a key the verifier does not know",
                stranger.sign(c13.text()).toString(), List.of(log.key())), v, "NO_KNOWN_SIGNATURE", 0, "no signature by a known key");
        SignedNote good = log.sign(c13.text());
        NoteSignature s = good.signatures().get(0);
        byte[] flipped = s.payload();
        flipped[10] ^= 0x04;
        refused(verifyCase(out, "signature-bad", "the log's signature with one bit flipped",
                SignedNote.of(good.text(), List.of(new NoteSignature(s.name(), s.keyIdValue(), flipped))).toString(),
                List.of(log.key())), v, "BAD_SIGNATURE", 0, "does not verify");
        String changed = good.toString().replaceFirst("\n13\n", "\n14\n");
        refused(verifyCase(out, "text-changed", "the tree size changed after signing", changed, List.of(log.key())),
                v, "BAD_SIGNATURE", 0, "does not verify");
        byte[] otherId = TestKeys.signSm2(logSm2Key, Fixtures.utf8(checkpointSm3(13).text()), Fixtures.utf8("ALICE123@YAHOO.COM"),
                sm2Nonces).valueBytes();
        refused(verifyCase(out, "signature-sm2-wrong-user-id", "SM2 signature made with user id ALICE123@YAHOO.COM, "
                + "not 1234567812345678", SignedNote.of(checkpointSm3(13).text(),
                        List.of(new NoteSignature(Fixtures.LOG_SM2, logSm2.key().idValue(), otherId))).toString(),
                List.of(logSm2.key())), v, "BAD_SIGNATURE", 0, "does not verify");
        SignedNote cosigned = cosigned(log, c13, inspector1);
        NoteSignature cosig = cosigned.signatures().get(1);
        byte[] later = cosig.payload();
        ByteBuffer.wrap(later).putLong(TIME + 86_400);
        refused(verifyCase(out, "cosignature-timestamp-changed", "the cosignature's timestamp moved a day later",
                cosigned.withSignature(new NoteSignature(cosig.name(), cosig.keyIdValue(), later)).toString(),
                List.of(log.key(), inspector1.key())), v, "BAD_SIGNATURE", 0, "does not verify");
        refused(verifyCase(out, "cosignature-old-timestamp", "cosigned at the vector time; the policy wants cosignatures "
                + "from an hour later", cosigned.toString(), List.of(log.key(), inspector1.key()),
                require(1, Fixtures.INSPECTOR_1).put("cosignedNotBefore", TIME + 3600)), v, "TOO_FEW_SIGNATURES", 0, "too old");
        refused(verifyCase(out, "cosignature-quorum-not-met", "one inspector cosigned; the policy wants both",
                cosigned.toString(), List.of(log.key(), inspector1.key(), inspector2.key()),
                require(1, Fixtures.LOG), require(2, Fixtures.INSPECTOR_1, Fixtures.INSPECTOR_2)),
                v, "TOO_FEW_SIGNATURES", 0, "missing [" + Fixtures.INSPECTOR_2 + "]");
        refused(verifyCase(out, "cosignature-only", "cosigned, but the log did not sign; the policy wants the log",
                SignedNote.of(c13.text(), List.of(cosig)).toString(), List.of(log.key(), inspector1.key()),
                require(1, Fixtures.LOG)), v, "TOO_FEW_SIGNATURES", 0, "missing [" + Fixtures.LOG + "]");
    }

    private ObjectNode witnessCase(ArrayNode out, String name, String description, NoteSigner witness, SignedNote note,
            Checkpoint state, ConsistencyProof proof) {
        ObjectNode c = out.addObject().put("name", name).put("description", description).put("check", "witness");
        c.put("witness", witness.key().toString());
        c.put("witnessPrivate", HEX.formatHex(TestKeys.privateKey(Fixtures.key(witness.key().type().algorithm(),
                witness.key().name()))));
        ArrayNode logs = c.putArray("logs");
        logs.add(log.key().toString()).add(logSm2.key().toString());
        if (state != null) {
            c.putObject("state").put("origin", state.origin()).put("size", state.size())
                    .put("root", NoteText.base64(state.root().bytes())).put("time", TIME - 600);
        }
        c.put("note", note.toString());
        if (proof != null) {
            ObjectNode p = c.putObject("proof").put("size1", proof.size1()).put("size2", proof.size2());
            ArrayNode hashes = p.putArray("hashes");
            proof.hashes().forEach(h -> hashes.add(h.hex()));
        }
        return c;
    }

    private static void accepted(ObjectNode c, String cosignatureLine) {
        c.put("valid", true);
        if (cosignatureLine != null) {
            c.put("cosignature", cosignatureLine);
        }
    }

    private static void refusedByWitness(ObjectNode c, String reason, String code) {
        c.put("valid", false);
        c.putObject("expect").put("exception", "WitnessRefusedException").put("reason", reason).put("code", code);
    }

    private ConsistencyProof proof(long from, long to) {
        return ProofBuilder.of(HashAlgorithm.SHA_256, tree).consistency(from, to);
    }

    private static ConsistencyProof flipped(ConsistencyProof p, int index, int bit) {
        List<Hash> hashes = new ArrayList<>(p.hashes());
        byte[] b = hashes.get(index).bytes();
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        hashes.set(index, Hash.of(b));
        return new ConsistencyProof(p.size1(), p.size2(), hashes);
    }

    private void witnessCases(ArrayNode out) {
        SignedNote n6 = log.sign(checkpoint(6).text());
        SignedNote n13 = log.sign(checkpoint(13).text());
        SignedNote n21 = log.sign(checkpoint(21).text());
        accepted(witnessCase(out, "witness-first-checkpoint", "the witness has cosigned nothing for this log: it cosigns",
                inspector1, n13, null, null), cosignatureLine(n13));
        accepted(witnessCase(out, "witness-consistent", "from 6 to 13 with the right consistency proof: it cosigns",
                inspector1, n13, checkpoint(6), proof(6, 13)), cosignatureLine(n13));
        accepted(witnessCase(out, "witness-same-size-same-root", "the checkpoint it cosigned before: it cosigns again",
                inspector1, n13, checkpoint(13), null), cosignatureLine(n13));
        refusedByWitness(witnessCase(out, "rollback-smaller-size", "the witness cosigned size 13; the log offers 6",
                inspector1, n6, checkpoint(13), null), "ROLLBACK", "I09");
        SignedNote fork = log.sign(Checkpoint.of(Fixtures.LOG, 13, ProofBuilder.of(HashAlgorithm.SHA_256, tree).root(12)).text());
        refusedByWitness(witnessCase(out, "same-size-different-root", "the witness cosigned size 13; the log offers "
                + "size 13 with another root (a split view)", inspector1, fork, checkpoint(13), null), "DIVERGENCE", "I09");
        refusedByWitness(witnessCase(out, "consistency-proof-flipped-bit", "from 6 to 21, bit 77 of proof hash 1 flipped",
                inspector1, n21, checkpoint(6), flipped(proof(6, 21), 1, 77)), "PROOF_MISMATCH", "I08");
        refusedByWitness(witnessCase(out, "consistency-proof-wrong-old-size", "the witness is at 6; the proof is from 5",
                inspector1, n21, checkpoint(6), proof(5, 21)), "PROOF_MISMATCH", "I08");
        refusedByWitness(witnessCase(out, "consistency-proof-missing", "from 6 to 21 without a proof",
                inspector1, n21, checkpoint(6), null), "PROOF_MISMATCH", "I08");
        SignedNote lie = log.sign(Checkpoint.of(Fixtures.LOG, 0, checkpoint(1).root()).text());
        refusedByWitness(witnessCase(out, "empty-tree-wrong-root", "size 0 with a root other than SHA-256(\"\")",
                inspector1, lie, null, null), "PROOF_MISMATCH", "I08");
        SignedNote s21 = logSm2.sign(checkpointSm3(21).text());
        ConsistencyProof sm3Proof = ProofBuilder.of(HashAlgorithm.SM3, treeSm3).consistency(6, 21);
        accepted(witnessCase(out, "witness-sm2-consistent", "an SM2 log's checkpoints, SM3 tree, from 6 to 21: it cosigns "
                + "(the SM2 cosignature is randomised, so it is not given)", inspectorSm2, s21, checkpointSm3(6), sm3Proof), null);
        refusedByWitness(witnessCase(out, "witness-sm2-consistency-proof-flipped-bit", "the same with bit 3 of proof hash 0 "
                + "flipped", inspectorSm2, s21, checkpointSm3(6), flipped(sm3Proof, 0, 3)), "PROOF_MISMATCH", "I08");
        if (!TreeHasher.of(HashAlgorithm.SHA_256).emptyRoot().equals(checkpoint(0).root())) {
            throw new IllegalStateException("the empty checkpoint's root is not H(\"\")");
        }
    }

    private String cosignatureLine(SignedNote note) {
        return inspector1.cosignature(note.text(), TIME).line();
    }
}
