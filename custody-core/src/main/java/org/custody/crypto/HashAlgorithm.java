package org.custody.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.SM3Digest;

/** The ledger's hash function, fixed at creation: SHA-256 (the JDK's, with intrinsics) or SM3 (GB/T 32905). */
public enum HashAlgorithm {
    SHA_256("sha-256"),
    SM3("sm3");

    private final String wire;

    HashAlgorithm(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Digest of the concatenation of {@code parts}. */
    public Hash digest(byte[]... parts) {
        return Hash.of(digestBytes(parts));
    }

    byte[] digestBytes(byte[]... parts) {
        if (this == SHA_256) {
            MessageDigest md = sha256();
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        }
        SM3Digest sm3 = new SM3Digest();
        for (byte[] p : parts) {
            sm3.update(p, 0, p.length);
        }
        byte[] out = new byte[sm3.getDigestSize()];
        sm3.doFinal(out, 0);
        return out;
    }

    /** One SHA-256 engine per thread: looking the algorithm up among the providers costs more than hashing an entry. */
    private static final ThreadLocal<MessageDigest> SHA_256_ENGINE = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    });

    /** This thread's SHA-256 engine, reset (a digest interrupted by an exception leaves nothing behind). */
    private static MessageDigest sha256() {
        MessageDigest md = SHA_256_ENGINE.get();
        md.reset();
        return md;
    }
}
