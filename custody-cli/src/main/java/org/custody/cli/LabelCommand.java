package org.custody.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.custody.cli.qr.LabelCard;
import org.custody.cli.qr.LabelSheet;
import org.custody.cli.qr.QrCodes;
import org.custody.files.OwnerOnly;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.ExamSession;
import org.custody.record.Entry;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody label}: QR labels of bags, bound to their seal entries, as PNG files and printable A4 sheets. */
@Command(name = "label", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make QR labels (二维码标签) for bags: one PNG per bag and/or printable A4 sheets (PDF) with the "
                + "readable fields beside each code (科目, 场次, 考场, 份数, 密级, 袋号).",
                "Each label binds the bag to its seal entry, so a swapped or forged label is caught at the next scan "
                        + "(I10). Print labels after the seal step: a label printed earlier is stale once the bag is sealed.",
                "Exit status: 0 labels written, 2 usage or input error (nothing written)."})
final class LabelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ledger", required = true, paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "the ledger file, or a postgresql:// URL")
    org.custody.ledger.LedgerLocation ledger;

    @Option(names = "--png", paramLabel = "DIR", description = "write one PNG per bag into DIR (created if missing), named after the bag id")
    Path pngDir;

    @Option(names = "--pdf", paramLabel = "FILE", description = "write the labels as A4 sheets, "
            + LabelSheet.COLUMNS * LabelSheet.ROWS + " to a page, to FILE")
    Path pdf;

    @Option(names = "--bag", paramLabel = "ID", description = "label only this bag (repeatable); default: every registered bag")
    List<String> bags = new ArrayList<>();

    @Option(names = "--session", paramLabel = "ID", description = "label only the bags of this session (场次), e.g. S1")
    String session;

    @Option(names = "--plan", paramLabel = "CSV", description = "the room plan (考场编排) the bags were registered from:"
            + " labels show its site_name and subject_name beside the codes (e.g. 科目 00015 英语（二）)")
    Path plan;

    @Option(names = "--module-px", defaultValue = "10", paramLabel = "N",
            description = "pixels per QR module in the PNG files (default: ${DEFAULT-VALUE}; at " + QrCodes.DPI + " dpi)")
    int modulePixels;

    @Option(names = "--force", description = "replace existing files")
    boolean force;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE", description = "time zone of session times (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (pngDir == null && pdf == null) {
            err.println("error: say where to write the labels: --png DIR, --pdf FILE, or both");
            return 2;
        }
        if (modulePixels < 2 || modulePixels > 40) {
            err.println("error: --module-px must be 2-40, got " + modulePixels);
            return 2;
        }
        RoomPlan.Names names = plan == null ? RoomPlan.Names.NONE : RoomPlan.names(plan);
        Set<String> unnamed = new LinkedHashSet<>();
        List<LabelCard> cards = new ArrayList<>();
        Map<Path, byte[]> files = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
            Ledger l = lease.ledger();
            Map<BagId, Bag> registered = registered(l);
            List<Bag> chosen = choose(registered, err);
            if (chosen == null) {
                return 2;
            }
            List<ExamSession> schedule = schedule(l);
            for (Bag bag : chosen) {
                Label label = l.label(bag.id());
                lines.add(bag.id() + "  seal entry " + label.seq() + "  " + label.payload());
                if (!bag.kind().isContainer() && label.seq() == registrationSeq(l, bag.id())
                        && bag.kind() != org.custody.model.BagKind.ANSWER_SHEET) {
                    err.println("note: bag " + bag.id() + " has not been sealed yet; its label will be stale after the seal step");
                }
                cards.add(card(bag, label, schedule, names, unnamed));
                if (pngDir != null) {
                    files.put(pngDir.resolve(fileName(bag.id())), QrCodes.png(label.payload(), modulePixels));
                }
            }
        }
        if (plan != null) {
            unnamed.forEach(u -> err.println("note: " + plan + " names no " + u + "; its labels show the code only"));
        }
        if (pdf != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            LabelSheet.write(cards, "Custody labels " + LedgerOption.shortName(ledger), bytes);
            files.put(pdf, bytes.toByteArray());
        }
        if (!force) {
            for (Path p : files.keySet()) {
                if (Files.exists(p)) {
                    err.println("error: " + p + " exists; nothing was written (use --force to replace it)");
                    return 2;
                }
            }
        }
        if (pngDir != null) {
            try {
                OwnerOnly.createDirectories(pngDir);
            } catch (IOException e) {
                err.println("error: cannot create folder " + pngDir + ": " + e);
                return 2;
            }
        }
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            try {
                write(f.getKey(), f.getValue());
            } catch (IOException e) {
                err.println("error: cannot write " + f.getKey() + ": " + e);
                return 2;
            }
        }
        lines.forEach(out::println);
        int pages = (cards.size() + LabelSheet.perPage() - 1) / LabelSheet.perPage();
        out.println("labels for " + cards.size() + " bag" + (cards.size() == 1 ? "" : "s") + ":"
                + (pngDir == null ? "" : " " + cards.size() + " PNG in " + pngDir)
                + (pdf == null ? "" : (pngDir == null ? " " : ", ") + pdf + " (" + pages + " A4 page" + (pages == 1 ? "" : "s") + ")"));
        return 0;
    }

    private static Map<BagId, Bag> registered(Ledger l) {
        Map<BagId, Bag> bags = new LinkedHashMap<>();
        for (Entry e : l.entriesOfType("register")) {
            for (Bag b : ((Registration) e.record()).bags()) {
                bags.putIfAbsent(b.id(), b);
            }
        }
        return bags;
    }

    private List<Bag> choose(Map<BagId, Bag> registered, PrintWriter err) {
        List<Bag> chosen = new ArrayList<>();
        if (bags.isEmpty()) {
            for (Bag b : registered.values()) {
                if (session == null || session.equals(b.session())) {
                    chosen.add(b);
                }
            }
        } else {
            for (String id : bags) {
                Bag b = registered.get(BagId.of(id));
                if (b == null) {
                    err.println("error: bag " + id + " is not registered in " + ledger + "; check the id (custody history shows a bag's entries)");
                    return null;
                }
                if (session == null || session.equals(b.session())) {
                    chosen.add(b);
                }
            }
        }
        if (chosen.isEmpty()) {
            err.println("error: no bags to label in " + ledger + (session == null ? "" : " for session " + session)
                    + "; register bags first (custody bags)");
            return null;
        }
        return chosen;
    }

    private static long registrationSeq(Ledger l, BagId bag) {
        return l.history(bag).get(0).seq();
    }

    /** Every session of every schedule, the latest schedule last. */
    private static List<ExamSession> schedule(Ledger l) {
        List<ExamSession> sessions = new ArrayList<>();
        for (Entry e : l.entriesOfType("schedule")) {
            sessions.addAll(((ScheduleRecord) e.record()).sessions());
        }
        return sessions;
    }

    private LabelCard card(Bag bag, Label label, List<ExamSession> schedule, RoomPlan.Names names, Set<String> unnamed) {
        String dash = "—";
        String when = null;
        for (ExamSession s : schedule) {
            if (s.session().equals(bag.session()) && (s.subject() == null || s.subject().equals(bag.subject()))) {
                when = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(zone).format(s.startsAt()) + "–"
                        + DateTimeFormatter.ofPattern("HH:mm").withZone(zone).format(s.endsAt());
            }
        }
        String siteName = names.site(bag.exam(), bag.site());
        String subjectName = names.subject(bag.exam(), bag.subject());
        if (bag.site() != null && siteName == null) {
            unnamed.add("site " + bag.site() + " of exam " + bag.exam());
        }
        if (bag.subject() != null && subjectName == null) {
            unnamed.add("subject " + bag.subject() + " of exam " + bag.exam());
        }
        String room = bag.site() == null && bag.room() == null ? dash
                : (bag.site() == null ? "" : bag.site() + " " + (siteName == null ? "考点" : siteName) + " ")
                        + (bag.room() == null ? "" : bag.room() + " 考场");
        String subject = bag.subject() == null ? dash : bag.subject() + (subjectName == null ? "" : " " + subjectName);
        List<LabelCard.Field> fields = List.of(
                new LabelCard.Field("科目", subject),
                new LabelCard.Field("场次", bag.session() == null ? dash : bag.session() + (when == null ? "" : "  " + when)),
                new LabelCard.Field("考场", room.trim()),
                new LabelCard.Field("份数", bag.copies() == null ? dash : bag.copies().toString()),
                new LabelCard.Field("密级", bag.secrecy() == null ? dash : bag.secrecy().chinese()),
                new LabelCard.Field("套别", or(bag.set(), dash)),
                new LabelCard.Field("类别", bag.kind().chinese()),
                new LabelCard.Field("考试", bag.exam()),
                new LabelCard.Field("封装记录", "#" + label.seq()));
        return new LabelCard(label.payload(), "袋号", bag.id().value(), fields);
    }

    private static String or(String value, String otherwise) {
        return value == null ? otherwise : value;
    }

    /** The PNG file name of a bag: its id, with ':' (not allowed in Windows file names) written as '~'. */
    static String fileName(BagId bag) {
        return bag.value().replace(':', '~') + ".png";
    }

    /** Writes through a temporary file in the same folder, so an interrupted run leaves no half-written file. */
    static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = OwnerOnly.createTempFile(dir, ".custody-label-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
