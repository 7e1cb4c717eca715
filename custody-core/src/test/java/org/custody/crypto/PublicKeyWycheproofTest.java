package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.custody.testing.SharedVectors;
import org.junit.jupiter.api.Test;

/**
 * Ed25519 verification against C2SP Wycheproof ({@code shared/vectors/wycheproof-ed25519}): every valid case
 * verifies; every invalid case is refused, by {@link BadSignatureException} from {@link PublicKey#verify}, or by
 * {@link org.custody.failure.MalformedInputException} where the key or the signature cannot even be constructed.
 */
class PublicKeyWycheproofTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void verify_wycheproofEd25519_everyCaseAsExpected() throws IOException {
        Path file = SharedVectors.require("wycheproof-ed25519").resolve("ed25519_test.json");
        JsonNode suite = new ObjectMapper().readTree(file.toFile());
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int valid = 0;
        for (JsonNode group : suite.get("testGroups")) {
            byte[] pk = HEX.parseHex(group.get("publicKey").get("pk").asText());
            for (JsonNode test : group.get("tests")) {
                cases++;
                boolean expectValid = switch (test.get("result").asText()) {
                    case "valid" -> true;
                    case "invalid" -> false;
                    default -> throw new AssertionError("tcId " + test.get("tcId") + ": unexpected result "
                            + test.get("result") + " (only valid and invalid are used for Ed25519)");
                };
                if (expectValid) {
                    valid++;
                }
                String problem = check(pk, HEX.parseHex(test.get("msg").asText()), HEX.parseHex(test.get("sig").asText()),
                        expectValid);
                if (problem != null) {
                    failures.add("tcId " + test.get("tcId").asInt() + " (" + test.get("comment").asText() + ", flags "
                            + test.get("flags") + "): " + problem);
                }
            }
        }
        assertEquals(suite.get("numberOfTests").asInt(), cases, "every Wycheproof case was run");
        assertTrue(valid > 0 && valid < cases, "the suite has both valid and invalid cases, got " + valid + " valid of " + cases);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " Wycheproof cases failed:\n" + String.join("\n", failures));
    }

    /** Null if the case behaves as expected, else what went wrong. */
    private static String check(byte[] pk, byte[] msg, byte[] sig, boolean expectValid) {
        PublicKey key;
        Signature signature;
        try {
            key = PublicKey.of(SignatureAlgorithm.ED25519, pk);
            signature = Signature.of(key.id(), sig);
        } catch (org.custody.failure.MalformedInputException e) {
            return expectValid ? "valid case refused at construction: " + e.getMessage() : null;
        }
        try {
            key.verify(msg, signature);
            return expectValid ? null : "invalid signature was accepted";
        } catch (BadSignatureException e) {
            return expectValid ? "valid signature was refused: " + e.getMessage() : null;
        } catch (RuntimeException e) {
            return "verify threw " + e + " instead of " + (expectValid ? "returning" : "BadSignatureException");
        }
    }
}
