package org.custody.merkle;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.custody.crypto.HashAlgorithm;

/**
 * A random tree shape for properties: the hash, a tree size, a leaf index in it and an earlier size. Sizes are
 * drawn half the time within two of a power of two (where the tree's shape changes) and half uniformly.
 */
record TreeCases(HashAlgorithm algorithm, int size, int leafIndex, int size1) {
    static Arbitrary<TreeCases> upTo(int maxExponent, int maxSize) {
        Arbitrary<Integer> nearPowerOfTwo = Arbitraries.integers().between(0, maxExponent)
                .flatMap(e -> Arbitraries.integers().between(-2, 2).map(d -> (1 << e) + d))
                .filter(n -> n >= 1);
        Arbitrary<Integer> sizes = Arbitraries.oneOf(nearPowerOfTwo, Arbitraries.integers().between(1, maxSize));
        return sizes.flatMap(n -> Combinators.combine(Arbitraries.of(HashAlgorithm.class),
                Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(1, n))
                .as((algorithm, i, m) -> new TreeCases(algorithm, n, i, m)));
    }
}
