package org.custody.cli;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code custody history}: a bag's timeline, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show a bag's timeline (试卷袋流转记录): who, when, where.")
final class HistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ledger", required = true, paramLabel = "FILE", description = "the ledger file")
    Path ledger;

    @Parameters(index = "0", paramLabel = "BAG", description = "the bag id, as printed on its label")
    String bag;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE", description = "time zone for display (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Override
    public Integer call() {
        BagId id = BagId.of(bag);
        List<Entry> entries;
        try (Ledger l = Ledger.open(ledger)) {
            entries = l.history(id);
        }
        var out = spec.commandLine().getOut();
        if (entries.isEmpty()) {
            spec.commandLine().getErr().println("error: bag " + id + " is not in " + ledger + "; check the id on the label");
            return 2;
        }
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        for (Entry e : entries) {
            out.println(time.format(e.record().at()) + "  #" + e.seq() + "  " + describe(e));
        }
        return 0;
    }

    private static String describe(Entry e) {
        if (e.record() instanceof Handoff h) {
            return h.step().chinese() + " " + h.step().wire() + "  " + (h.from() == null ? "" : h.from() + " -> ") + h.to()
                    + (h.witnesses().isEmpty() ? "" : "  witnesses " + h.witnesses()) + "  at " + h.place().id();
        }
        if (e.record() instanceof Incident i) {
            return "incident " + i.incident().chinese() + " " + i.incident().wire() + "  by " + i.by() + ": " + i.note();
        }
        return e.record().type() + "  signed by " + e.record().parties();
    }
}
