package org.custody.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.checkpoint.Checkpoint;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;

/**
 * Wall time of a full verification against a kept checkpoint next to the two incremental ones on the same ledger:
 * {@code custody verify --expect-checkpoint FILE --skip-kept-signatures} (every entry read, the kept ones' signatures
 * not checked) and {@code custody verify --since STATE} (the kept entries only re-hashed, from the verification state
 * kept when they were verified): {@code kept} entries (the benchmark workload, with its checkpoint signer enrolled)
 * covered by a signed checkpoint and a verification state, then {@code more} handoffs after them. Run from the
 * repository root; the ledger, the checkpoint and the state are built once into {@code custody-bench/target/bench-data}
 * (the state by a full verification of the first {@code kept} entries), ready for the whole-process runs of
 * docs/benchmarks.md:
 *
 * <pre>java -cp custody-bench/target/benchmarks.jar org.custody.bench.SinceProbe 100000 10000 [rounds]</pre>
 */
public final class SinceProbe {
    private SinceProbe() {}

    public static void main(String[] args) throws Exception {
        long kept = Long.parseLong(args[0]);
        long more = Long.parseLong(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path file = BenchData.dir().resolve("since-" + kept + "-" + more + ".db");
        Path note = BenchData.dir().resolve("since-" + kept + "-" + more + ".checkpoint");
        Path state = BenchData.dir().resolve("since-" + kept + "-" + more + ".state");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(note) || !Files.isRegularFile(state)) {
            build(file, note, state, kept, more);
        }
        org.custody.ledger.verify.VerificationState kept0 = org.custody.ledger.verify.VerificationState.read(state);
        Checkpoint checkpoint = Checkpoint.parse(org.custody.checkpoint.SignedNote.parse(Files.readAllBytes(note)).text());
        LedgerVerifier.Options options = LedgerVerifier.Options.defaults().withThreads(2);
        for (int round = 1; round <= rounds; round++) {
            time("full ", file, options, checkpoint);
            time("skip signatures", file, options.sinceKept(), checkpoint);
            time("since state", file, options.since(kept0), checkpoint);
        }
    }

    private static void time(String what, Path file, LedgerVerifier.Options options, Checkpoint checkpoint) {
        long start = System.nanoTime();
        AuditReport report = LedgerVerifier.verify(file, options, checkpoint);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.intact()) {
            throw new IllegalStateException(what + ": " + report.summary());
        }
        System.out.printf("%s %,d entries, signatures from %,d: %.2f s (%,.0f entries/s)%n", what, report.entries(),
                report.signaturesFrom(), seconds, report.entries() / seconds);
    }

    private static void build(Path file, Path note, Path state, long kept, long more) throws Exception {
        BenchData.deleteLedger(file);
        Workload workload = BenchData.workload();
        Chain chain = new Chain(workload);
        List<Chain.Next> prologue = chain.prologue();
        try (Ledger ledger = Ledger.create(file, prologue.get(0).record(), Workload.CLOCK)) {
            ledger.append(prologue.get(1).record());
            ledger.append(chain.place(workload.checkpointSignerEnrolment()).record());
            append(ledger, chain, kept);
            Files.write(note, ledger.signCheckpoint(workload.checkpointKey()).bytes());
            org.custody.ledger.verify.VerificationState[] verified = {null};
            AuditReport first = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().keepingState(s -> verified[0] = s));
            if (verified[0] == null) {
                throw new IllegalStateException("the first " + kept + " entries are not intact: " + first.summary());
            }
            verified[0].write(state);
            append(ledger, chain, kept + more);
        }
        System.err.printf("built %s: %,d entries, a checkpoint and a verification state at %,d%n", file, kept + more, kept);
    }

    private static void append(Ledger ledger, Chain chain, long until) {
        while (chain.size() < until) {
            ledger.appendAll(chain.next((int) Math.min(1000, until - chain.size())).stream().map(Chain.Next::record).toList());
        }
    }
}
