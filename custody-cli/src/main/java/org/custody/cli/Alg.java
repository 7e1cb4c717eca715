package org.custody.cli;

import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;

/** Signature algorithms as typed on the command line. */
enum Alg {
    ed25519(SignatureAlgorithm.ED25519),
    sm2(SignatureAlgorithm.SM2);

    final SignatureAlgorithm algorithm;

    Alg(SignatureAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    Suite suite() {
        return Suite.of(algorithm);
    }
}
