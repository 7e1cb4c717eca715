package org.custody.ledger;

import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/** RFC 6962 §2.1 straight from its recursive definitions (MTH, PATH, PROOF), O(n) per call: the reference. */
public final class Naive {
    private Naive() {}

    public static Hash mth(HashAlgorithm h, List<byte[]> d) {
        int n = d.size();
        if (n == 0) {
            return h.digest();
        }
        if (n == 1) {
            return h.digest(new byte[] {0x00}, d.get(0));
        }
        int k = k(n);
        return h.digest(new byte[] {0x01}, mth(h, d.subList(0, k)).bytes(), mth(h, d.subList(k, n)).bytes());
    }

    public static List<Hash> path(HashAlgorithm h, int m, List<byte[]> d) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = k(n);
        List<Hash> out;
        if (m < k) {
            out = path(h, m, d.subList(0, k));
            out.add(mth(h, d.subList(k, n)));
        } else {
            out = path(h, m - k, d.subList(k, n));
            out.add(mth(h, d.subList(0, k)));
        }
        return out;
    }

    public static List<Hash> proof(HashAlgorithm h, int m, List<byte[]> d) {
        return subproof(h, m, d, true);
    }

    private static List<Hash> subproof(HashAlgorithm h, int m, List<byte[]> d, boolean b) {
        int n = d.size();
        if (m == n) {
            List<Hash> out = new ArrayList<>();
            if (!b) {
                out.add(mth(h, d));
            }
            return out;
        }
        int k = k(n);
        List<Hash> out;
        if (m <= k) {
            out = subproof(h, m, d.subList(0, k), b);
            out.add(mth(h, d.subList(k, n)));
        } else {
            out = subproof(h, m - k, d.subList(k, n), false);
            out.add(mth(h, d.subList(0, k)));
        }
        return out;
    }

    /** The largest power of two smaller than {@code n > 1}. */
    private static int k(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
