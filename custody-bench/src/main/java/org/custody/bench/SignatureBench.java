package org.custody.bench;

import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.record.SignedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The bound: one signature verification over the signed bytes of a real benchmark handoff (about 300
 * bytes), on 1 and 2 threads. {@code ed25519Bc*} calls Bouncy Castle's {@link Ed25519Signer} directly;
 * {@code ed25519Custody*} and {@code sm2Custody*} go through {@link PublicKey#verify}, as the ledger does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class SignatureBench {
    private byte[] message;
    private Ed25519PublicKeyParameters bcKey;
    private byte[] bcSignature;
    private PublicKey edKey;
    private Signature edSignature;
    private PublicKey sm2Key;
    private Signature sm2Signature;

    @Setup
    public void setUp() {
        Workload ed = new Workload(Suite.ED25519_SHA256, 1, BenchData.SEED);
        SignedRecord handoff = ed.handoff(0, Hash.ZERO);
        message = handoff.signedBytes();
        SigningKey key = ed.key(0);
        edKey = key.publicKey();
        edSignature = key.sign(message);
        bcKey = new Ed25519PublicKeyParameters(edKey.encoded(), 0);
        bcSignature = edSignature.valueBytes();

        SigningKey sm2 = new Workload(Suite.SM2_SM3, 1, BenchData.SEED).key(0);
        sm2Key = sm2.publicKey();
        sm2Signature = sm2.sign(message);
        if (!bcVerify()) {
            throw new IllegalStateException("the benchmark signature does not verify");
        }
        edKey.verify(message, edSignature);
        sm2Key.verify(message, sm2Signature);
        System.out.println("message: " + message.length + " bytes");
    }

    private boolean bcVerify() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, bcKey);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(bcSignature);
    }

    @Benchmark
    @Threads(1)
    public boolean ed25519Bc1() {
        return bcVerify();
    }

    @Benchmark
    @Threads(2)
    public boolean ed25519Bc2() {
        return bcVerify();
    }

    @Benchmark
    @Threads(1)
    public PublicKey ed25519Custody1() {
        edKey.verify(message, edSignature);
        return edKey;
    }

    @Benchmark
    @Threads(2)
    public PublicKey ed25519Custody2() {
        edKey.verify(message, edSignature);
        return edKey;
    }

    @Benchmark
    @Threads(1)
    public PublicKey sm2Custody1() {
        sm2Key.verify(message, sm2Signature);
        return sm2Key;
    }

    @Benchmark
    @Threads(2)
    public PublicKey sm2Custody2() {
        sm2Key.verify(message, sm2Signature);
        return sm2Key;
    }
}
