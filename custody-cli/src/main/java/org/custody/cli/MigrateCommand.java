package org.custody.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.custody.ledger.LedgerLocation;
import org.custody.ledger.Migration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody migrate FROM TO}: copies a ledger between a SQLite file and a PostgreSQL schema, and checks the copy. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy a ledger to another store (迁移账本): a SQLite file to PostgreSQL, or back. Every stored row is"
                + " copied as it is; the copy is then verified in full and its export bundle compared with the source's,"
                + " byte for byte. The source is left as it was; a target that holds a ledger already is never overwritten.",
                "Exit status: 0 copied and verified clean, 1 copied with rule findings (as the source has them),"
                + " 3 the copy has integrity findings, 2 usage or input error."})
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FROM", converter = LedgerOption.Location.class,
            description = "the ledger to copy: a file, or postgresql://[user@]host[:port]/database[?schema=NAME]")
    LedgerLocation from;

    @Parameters(index = "1", paramLabel = "TO", converter = LedgerOption.Location.class,
            description = "where to copy it: a new file, or a PostgreSQL schema that holds no ledger")
    LedgerLocation to;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("copying " + from + " to " + to + " ...");
        err.flush();
        Migration.Migrated done = Migration.copy(from, to, n -> {
            err.println("  copied " + n + " entries 已复制 " + n + " 条");
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println("copied " + done.entries() + " entries from " + from + " to " + to + " 已迁移 " + done.entries() + " 条记录");
        out.println("  the copy's export bundle is byte-identical to the source's (SHA-256 " + done.bundleSha256() + ")"
                + " 副本导出核验包与源账本逐字节一致");
        out.println("  verification of the copy 副本核验: " + done.report().summary());
        return done.report().exitStatus();
    }
}
