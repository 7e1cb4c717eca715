package org.custody.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.TestKeys;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.TreeHasher;

/** Deterministic keys, signers and trees for the checkpoint tests and vectors. */
final class Fixtures {
    static final String LOG = "custody.example/ledger/HN-ZSB-2021";
    static final String LOG_SM2 = "custody.example/ledger/HN-ZSB-2021-sm2";
    static final String INSPECTOR_1 = "inspector.custody.example/P003";
    static final String INSPECTOR_2 = "inspector.custody.example/P007";
    static final String STRANGER = "stranger.example/w9";

    private Fixtures() {}

    /** The raw private key of a test key: {@code SHA-256("custody checkpoint test key " + label)}. */
    static byte[] privateKey(String label) {
        return HashAlgorithm.SHA_256.digest(("custody checkpoint test key " + label).getBytes(StandardCharsets.UTF_8)).bytes();
    }

    static SigningKey key(SignatureAlgorithm algorithm, String label) {
        return TestKeys.fromPrivate(algorithm, privateKey(label));
    }

    /**
     * A signer whose signatures are reproducible: Ed25519 is deterministic anyway; SM2 nonces come from
     * {@code random}.
     */
    static NoteSigner signer(String name, SigningKey key, boolean cosigner, SecureRandom random) {
        NoteKey noteKey = NoteKey.of(name, NoteKeyType.of(key.algorithm(), cosigner), key.publicKey());
        if (key.algorithm() == SignatureAlgorithm.ED25519) {
            return new NoteSigner(noteKey, m -> key.sign(m).valueBytes());
        }
        return new NoteSigner(noteKey, m -> TestKeys.signSm2(key, m, TestKeys.sm2UserId(), random).valueBytes());
    }

    static NoteSigner logSigner(SignatureAlgorithm algorithm) {
        return NoteSigner.of(algorithm == SignatureAlgorithm.ED25519 ? LOG : LOG_SM2, key(algorithm, "log"));
    }

    static NoteSigner cosigner(String name, SignatureAlgorithm algorithm) {
        return NoteSigner.cosigner(name, key(algorithm, name));
    }

    /** A tree of {@code n} leaves, leaf i the ASCII text {@code entry i}. */
    static MemoryTree tree(HashAlgorithm hash, int n) {
        MemoryTree tree = MemoryTree.create(hash);
        TreeHasher hasher = TreeHasher.of(hash);
        for (int i = 0; i < n; i++) {
            tree.append(hasher.leafHash(("entry " + i).getBytes(StandardCharsets.US_ASCII)));
        }
        return tree;
    }

    static Checkpoint checkpoint(String origin, HashAlgorithm hash, MemoryTree tree, long size) {
        return new Checkpoint(origin, size, ProofBuilder.of(hash, tree).root(size), List.of());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
