package org.custody.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.custody.failure.MalformedInputException;

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

    /** The algorithm named {@code wire} ({@code sha-256} or {@code sm3}). */
    public static HashAlgorithm fromWire(String wire) {
        for (HashAlgorithm alg : values()) {
            if (alg.wire.equals(wire)) {
                return alg;
            }
        }
        throw new MalformedInputException("unknown hash algorithm '" + wire + "'; expected sha-256 or sm3");
    }

    /** Digest of the concatenation of {@code parts}. */
    public Hash digest(byte[]... parts) {
        return Hash.of(digestBytes(parts));
    }

    /**
     * Digest of everything {@code in} holds, read in blocks (a video segment need not fit in memory); with the number of
     * bytes read, so the size and the digest describe the same bytes even if the file grows while it is read.
     */
    public Streamed digest(java.io.InputStream in) throws java.io.IOException {
        return digest(in, java.util.EnumSet.of(this)).get(this);
    }

    /** Digests of everything {@code in} holds under each of {@code algorithms}, from one reading. */
    public static java.util.Map<HashAlgorithm, Streamed> digest(java.io.InputStream in, java.util.Set<HashAlgorithm> algorithms)
            throws java.io.IOException {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        MessageDigest md = algorithms.contains(SHA_256) ? sha256() : null;
        SM3Digest sm3 = algorithms.contains(SM3) ? new SM3Digest() : null;
        for (int n; (n = in.read(buffer)) > 0; ) {
            size += n;
            if (md != null) {
                md.update(buffer, 0, n);
            }
            if (sm3 != null) {
                sm3.update(buffer, 0, n);
            }
        }
        java.util.Map<HashAlgorithm, Streamed> out = new java.util.EnumMap<>(HashAlgorithm.class);
        if (md != null) {
            out.put(SHA_256, new Streamed(Hash.of(md.digest()), size));
        }
        if (sm3 != null) {
            byte[] d = new byte[sm3.getDigestSize()];
            sm3.doFinal(d, 0);
            out.put(SM3, new Streamed(Hash.of(d), size));
        }
        return out;
    }

    /** The digest of a stream and how many bytes it held. */
    public record Streamed(Hash digest, long size) {}

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
