package org.custody.merkle;

import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/**
 * The naive Merkle tree of RFC 6962 §2.1, written straight from its recursive definitions of MTH, PATH and PROOF
 * over the leaf data (O(n) per call): the reference the incremental implementation is checked against.
 */
final class ReferenceMerkle {
    private final HashAlgorithm h;

    ReferenceMerkle(HashAlgorithm h) {
        this.h = h;
    }

    /** MTH(D[n]). */
    Hash mth(List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return h.digest();
        }
        if (n == 1) {
            return h.digest(concat(new byte[] {0x00}, d.get(0)));
        }
        int k = largestPowerOfTwoBelow(n);
        return h.digest(concat(new byte[] {0x01}, mth(d.subList(0, k)).bytes(), mth(d.subList(k, n)).bytes()));
    }

    /** PATH(m, D[n]): the audit path of leaf {@code m}. */
    List<Hash> path(int m, List<byte[]> d) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = largestPowerOfTwoBelow(n);
        List<Hash> out;
        if (m < k) {
            out = path(m, d.subList(0, k));
            out.add(mth(d.subList(k, n)));
        } else {
            out = path(m - k, d.subList(k, n));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]): the consistency proof from the first {@code m} leaves to all of {@code d}, 0 < m <= n. */
    List<Hash> proof(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private List<Hash> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        if (m == n) {
            List<Hash> out = new ArrayList<>();
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        List<Hash> out;
        if (m <= k) {
            out = subproof(m, d.subList(0, k), b);
            out.add(mth(d.subList(k, n)));
        } else {
            out = subproof(m - k, d.subList(k, n), false);
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** The largest power of two smaller than {@code n}, for {@code n > 1}. */
    private static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
