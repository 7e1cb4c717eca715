package org.custody.samples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.record.Entry;
import org.custody.record.Handoff;

/**
 * The embedding example's main program: creates a ledger, records one room's papers through their whole life
 * cycle with three people signing each handoff ({@link LifeCycle}), prints a bag's history, verifies the ledger
 * and prints the findings. (The command line's {@code custody demo} does the same through the CLI.)
 *
 * <pre>java -jar samples/target/custody-samples.jar [--sm2] [LEDGER-FILE]</pre>
 *
 * Without a file it writes {@code samples/target/custody-demo.db}, replacing an earlier demo ledger there;
 * a file given explicitly must not exist yet. Exit status: 0 intact, 1 rule findings, 3 integrity findings,
 * 2 usage error.
 */
public final class Demo {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private Demo() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Suite suite = Suite.ED25519_SHA256;
        Path file = null;
        for (String arg : args) {
            if (arg.equals("--sm2")) {
                suite = Suite.SM2_SM3;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println("usage: java -jar custody-samples.jar [--sm2] [LEDGER-FILE]");
                out.println("Records one exam room's papers through their life cycle, then verifies the ledger.");
                return 0;
            } else if (arg.startsWith("-") || file != null) {
                err.println("error: unexpected argument '" + arg + "'; usage: java -jar custody-samples.jar [--sm2] [LEDGER-FILE]");
                return 2;
            } else {
                file = Path.of(arg);
            }
        }
        try {
            if (file == null) {
                file = Path.of("samples", "target", "custody-demo.db");
                if (!Files.isDirectory(file.getParent())) {
                    file = Path.of("custody-demo.db");
                }
                deleteDemoLedger(file);
            } else if (Files.exists(file)) {
                err.println("error: " + file + " already exists; name a new file (the demo never overwrites a ledger you named)");
                return 2;
            }
            try (Ledger ledger = new LifeCycle(suite, out).run(file)) {
                out.println();
                out.println("history of " + LifeCycle.QUESTIONS + ":");
                // README:begin verify
                // a bag's history: its registration, then every handoff and incident that named it
                for (Entry e : ledger.history(LifeCycle.QUESTIONS)) {
                    String what = e.record() instanceof Handoff h ? h.step().chinese() + " " + h.step().wire() : e.record().type();
                    out.printf("  %s  #%-3d %s%n", LOCAL.format(e.record().at()), e.seq(), what);
                }
                // the inspector's check of the whole file: every finding names its code, entry, bags and people
                AuditReport report = ledger.verify();
                out.println("verification: " + report.summary());
                for (Finding f : report.findings()) {
                    out.println("  " + f);
                }
                return report.exitStatus(); // 0 intact, 1 rule findings only, 3 integrity findings
                // README:end
            }
        } catch (LedgerStoreException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static void deleteDemoLedger(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Path.of(file + "-wal"));
            Files.deleteIfExists(Path.of(file + "-shm"));
        } catch (IOException e) {
            throw new LedgerStoreException("cannot replace the earlier demo ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
