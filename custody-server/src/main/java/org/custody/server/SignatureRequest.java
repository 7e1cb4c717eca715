package org.custody.server;

import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;

/**
 * One party's signature as a request carries it: {@code {"key": "<key id, hex>", "sig": "<base64>"}}, both required,
 * nothing else.
 */
record SignatureRequest(Signature signature) {
    static SignatureRequest read(Body b) {
        KeyId key = b.convert("key", KeyId::of, b.text("key"));
        Signature sig = b.convert("sig", v -> Signature.fromBase64(key, v), b.text("sig"));
        b.done();
        return new SignatureRequest(sig);
    }
}
