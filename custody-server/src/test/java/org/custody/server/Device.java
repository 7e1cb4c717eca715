package org.custody.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;

/**
 * One person's own device: it reads its private key from its own key file, fetches the draft's bytes
 * from the server, signs them locally, and posts only the key id and the signature.
 */
final class Device {
    private final SigningKey key;
    final Client client;

    Device(Path keyFile, char[] passphrase, Client client) {
        this.key = KeyFiles.read(keyFile, passphrase);
        this.client = client;
    }

    /** The signature this device makes over the draft's served bytes. */
    Signature signatureFor(String draftId) {
        byte[] bytes = client.getBytes("/api/v1/drafts/" + draftId + "/signed-bytes");
        return key.sign(bytes);
    }

    Map<String, String> body(Signature s) {
        return Map.of("key", s.key().hex(), "sig", s.base64());
    }

    /** Fetches, signs and posts; returns the server's answer. */
    Client.Response sign(String draftId) {
        return post(draftId, signatureFor(draftId));
    }

    Client.Response post(String draftId, Signature s) {
        return client.post("/api/v1/drafts/" + draftId + "/signatures", body(s));
    }

    /** The bytes in the draft's JSON view, to check they are the ones served raw. */
    static byte[] signedBytes(JsonNode draft) {
        return Base64.getDecoder().decode(draft.get("signedBytes").asText());
    }
}
