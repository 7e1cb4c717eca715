package org.custody.cli;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.custody.audit.Finding;
import org.custody.checkpoint.NoteKey;
import org.custody.cli.qr.Photos;
import org.custody.cli.qr.ReceiptSlip;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.bundle.Evidence;
import org.custody.ledger.verify.EntrySource;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.receipt.Receipt;
import org.custody.receipt.ReceiptCheck;
import org.custody.receipt.ReceiptVerdict;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody receipt}: prints a handoff receipt (交接单) of an entry, and verifies photographed ones. */
@Command(name = "receipt", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = ReceiptCommand.Verify.class,
        description = {"Print the receipt (交接单) of a ledger entry, usually a handoff, as a PDF for A4 or an 80 mm receipt"
                + " roll: what moved, from whom to whom, witnesses, place, claimed and recorded time, counts and seals, the"
                + " signers' key ids, the entry hash, and a QR code of the entry's position and hash (and the checkpoint that"
                + " covers it, if one does yet) that 'custody receipt verify' reads from a photo.",
                "Exit status: 0 receipt written, 2 usage or input error (nothing written). See docs/formats.md §13."})
final class ReceiptCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENTRY",
            description = "the entry's number, as 'custody history' shows it (12 or #12), or 'last'")
    String entry;

    @Option(names = {"-l", "--ledger"}, paramLabel = "FILE", description = "the ledger file (SQLite)")
    Path ledger;

    @Option(names = "--pdf", paramLabel = "FILE", description = "write the receipt to FILE (PDF)")
    Path pdf;

    @Option(names = "--paper", defaultValue = "a4", paramLabel = "PAPER",
            description = "a4 (default) or 80mm (a receipt roll, for a thermal printer; 'lp' prints the PDF)")
    String paper;

    @Option(names = "--force", description = "replace FILE if it exists")
    boolean force;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone of the times printed (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Override
    public Integer call() throws IOException {
        if (entry == null || ledger == null || pdf == null) {
            throw new UserError("say which entry of which ledger, and where to write the receipt: custody receipt ENTRY"
                    + " --ledger FILE --pdf FILE (请指定记录号、账本和输出文件); to check a photographed receipt: custody receipt verify");
        }
        ReceiptSlip.Paper size = paper(paper);
        if (!force && Files.exists(pdf)) {
            throw new UserError(pdf + " exists; nothing was written (use --force to replace it; 文件已存在)");
        }
        byte[] bytes;
        Receipt receipt;
        try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
            Ledger l = lease.ledger();
            long seq = seq(entry, l);
            receipt = ReceiptCheck.issue(l, seq);
            bytes = pdf(l, receipt, size, zone, Instant.now());
        }
        LabelCommand.write(pdf, bytes);
        PrintWriter out = spec.commandLine().getOut();
        out.println(receipt.payload());
        out.println("receipt of entry " + receipt.seq() + " (" + size.option() + ") written to " + pdf + "; "
                + (receipt.inCheckpoint() ? "in the checkpoint of " + receipt.checkpointSize() + " entries"
                        : "no checkpoint covers it yet (verification will look for one)") + " (交接单已生成)");
        return Exit.OK;
    }

    static ReceiptSlip.Paper paper(String option) {
        ReceiptSlip.Paper p = ReceiptSlip.Paper.of(option);
        if (p == null) {
            throw new UserError("--paper '" + option + "' is not a paper: a4 or 80mm (纸张须为 a4 或 80mm)");
        }
        return p;
    }

    private static long seq(String text, Ledger l) {
        long size = l.head().size();
        String t = text.strip();
        if (t.equalsIgnoreCase("last")) {
            if (size == 0) throw new UserError("ledger " + l.id() + " has no entries (账本为空)");
            return size - 1;
        }
        if (t.startsWith("#")) t = t.substring(1);
        if (!t.matches("[0-9]{1,16}")) {
            throw new UserError("ENTRY '" + text + "' is not an entry number: write it as 'custody history' shows it, e.g. 12"
                    + " or #12, or 'last' (记录号格式不符)");
        }
        long seq = Long.parseLong(t);
        if (seq >= size) {
            throw new UserError("ledger " + l.id() + " has no entry " + seq + "; its entries are 0 to " + (size - 1)
                    + " (账本中没有第 " + seq + " 条记录)");
        }
        return seq;
    }

    /** The receipt of {@code receipt}'s entry as PDF bytes, printed at {@code now}. */
    static byte[] pdf(Ledger l, Receipt receipt, ReceiptSlip.Paper paper, ZoneId zone, Instant now) throws IOException {
        Entry e = l.entry(receipt.seq()).orElseThrow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReceiptSlip.write(content(l, e, receipt, zone, now), paper, "Custody receipt " + l.id() + " #" + receipt.seq(), bytes);
        return bytes.toByteArray();
    }

    /** What the receipt of {@code e} shows: its record in words, the signers' keys, the hash, the QR payload. */
    static ReceiptSlip.Content content(Ledger l, Entry e, Receipt receipt, ZoneId zone, Instant now) {
        Map<PersonId, Person> people = l.people();
        Function<PersonId, String> who = p -> people.containsKey(p) ? people.get(p).name() + " (" + p + ")" : p.value();
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        Record r = e.record();
        List<ReceiptSlip.Line> lines = new ArrayList<>();
        String title;
        if (r instanceof Handoff h) {
            title = "试卷交接单  Handoff receipt";
            lines.add(new ReceiptSlip.Line("环节 Step", h.step().chinese() + "  " + h.step().wire()));
            if (h.from() != null) lines.add(new ReceiptSlip.Line("交出 From", who.apply(h.from())));
            lines.add(new ReceiptSlip.Line("接收 To", who.apply(h.to())));
            if (!h.witnesses().isEmpty()) {
                lines.add(new ReceiptSlip.Line("见证 Witnesses", String.join("\n", h.witnesses().stream().map(who).toList())));
            }
            lines.add(new ReceiptSlip.Line("地点 Place", place(h.place())));
        } else if (r instanceof Incident i) {
            title = "异常记录单  Incident receipt";
            lines.add(new ReceiptSlip.Line("异常 Incident", i.incident().chinese() + "  " + i.incident().wire()));
            lines.add(new ReceiptSlip.Line("签字 Signed by", String.join("\n", i.by().stream().map(who).toList())));
            if (i.place() != null) lines.add(new ReceiptSlip.Line("地点 Place", place(i.place())));
        } else {
            title = "账本记录单  Ledger entry receipt";
            lines.add(new ReceiptSlip.Line("记录 Record", r.type()));
            lines.add(new ReceiptSlip.Line("签字 Signed by", String.join("\n", r.parties().stream().map(who).toList())));
        }
        lines.add(new ReceiptSlip.Line("交接时间 Claimed time", time.format(r.at()) + "  " + zone));
        lines.add(new ReceiptSlip.Line("入账时间 Recorded time", e.appended().map(t -> time.format(t) + "  " + zone).orElse("—")));
        if (!r.moves().isEmpty()) {
            lines.add(new ReceiptSlip.Line("试卷袋 Bags (" + r.moves().size() + ")",
                    String.join("\n", r.moves().stream().map(ReceiptCommand::move).toList())));
        }
        String note = r instanceof Handoff h ? h.note() : r instanceof Incident i ? i.note() : null;
        if (note != null) lines.add(new ReceiptSlip.Line("备注 Note", note));
        Map<KeyId, PersonId> owners = new HashMap<>();
        for (EnrolledKey k : l.keys()) owners.putIfAbsent(k.id(), k.person());
        List<String> keys = new ArrayList<>();
        for (Signature s : e.signatures()) {
            PersonId p = owners.get(s.key());
            keys.add((p == null ? "?" : p.value()) + "  " + s.key().hex());
        }
        lines.add(new ReceiptSlip.Line("签名密钥 Signer key ids", String.join("\n", keys)));
        lines.add(new ReceiptSlip.Line("记录编号 Record id", r.id().value()));
        lines.add(new ReceiptSlip.Line("记录哈希 Entry hash", grouped(receipt.entry().hex())));
        lines.add(new ReceiptSlip.Line("检查点 Checkpoint", receipt.inCheckpoint()
                ? "第 " + receipt.checkpointSize() + " 条前 size " + receipt.checkpointSize() + "\n根 root " + grouped(receipt.checkpointRoot().hex())
                : "尚未纳入检查点（核验时查询）\nnot yet in a checkpoint (looked up when verified)"));
        lines.add(new ReceiptSlip.Line("打印时间 Printed", time.format(now) + "  " + zone));
        List<String> footer = List.of(
                "核验：拍照后运行 custody receipt verify 照片 --ledger 账本（或 --bundle 导出包、--evidence 证据文件）",
                "To verify: photograph this receipt, then custody receipt verify PHOTO --ledger FILE (or --bundle, --evidence).",
                "本单未经签名，以账本为准；账本与本单不符即为完整性问题（I09）。",
                "This receipt is not signed: the ledger is the record; a ledger that contradicts it is an integrity finding (I09).");
        return new ReceiptSlip.Content(title, "账本 Ledger " + l.id() + "  ·  第 " + receipt.seq() + " 条 entry #" + receipt.seq(),
                lines, receipt.payload(), footer);
    }

    private static String place(Place p) {
        return p.name() == null ? p.id() : p.name() + " (" + p.id() + ")";
    }

    private static String move(BagMove m) {
        StringBuilder b = new StringBuilder(m.bag().value());
        if (m.count() != null) b.append("  份数 count ").append(m.count());
        if (m.present() != null) b.append("  实考 present ").append(m.present());
        if (m.absent() != null) b.append("  缺考 absent ").append(m.absent());
        if (m.seal() != null) b.append("  封条 seal ").append(m.seal());
        if (m.sealState() != null) b.append(' ').append(m.sealState().chinese()).append(' ').append(m.sealState().wire());
        if (m.container() != null) b.append("  装入 in ").append(m.container());
        return b.toString();
    }

    /** 64 hex digits in groups of 8, so a reader can compare them and a narrow slip can wrap them. */
    static String grouped(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 8) {
            if (i > 0) b.append(i == 32 ? '\n' : ' ');
            b.append(hex, i, Math.min(hex.length(), i + 8));
        }
        return b.toString();
    }

    /** {@code custody receipt verify}: reads photographed receipts and checks them against a ledger, a bundle or evidence. */
    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Read handoff receipts (交接单) from photos (PNG, JPEG, GIF, BMP, TIFF) or, with no PHOTO or '-', their"
                    + " QR text from a USB scanner on standard input, and check each against the ledger file, an export bundle"
                    + " or a bag's evidence file: does the ledger hold exactly that entry, and is it in a checkpoint an"
                    + " inspector cosigned? A receipt the ledger contradicts (the entry removed or changed, or the receipt"
                    + " forged) is the integrity finding I09.",
                    "Exit status: 0 every receipt held, 3 a receipt contradicted (I09) or the evidence does not hold, 2 usage"
                            + " or input error (an unreadable photo or payload, a receipt of another ledger, or evidence that"
                            + " cannot show the entry) and none contradicted."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PHOTO", arity = "0..*", description = "photos of receipts; '-' or none: QR text lines on standard input")
        List<String> photos = new ArrayList<>();

        @Option(names = {"-l", "--ledger"}, paramLabel = "FILE", description = "check against this ledger file")
        Path ledger;

        @Option(names = "--bundle", paramLabel = "FILE", description = "check against this export bundle (custody export)")
        Path bundle;

        @Option(names = "--evidence", paramLabel = "FILE", description = "check against this bag's evidence file (custody export --bag)")
        Path evidence;

        @Option(names = "--log-key", paramLabel = "VKEY", description = "with --evidence: the ledger's checkpoint verifier key, repeatable")
        List<String> logKeys = new ArrayList<>();

        @Option(names = "--inspector-key", paramLabel = "VKEY", description = "with --evidence: an inspector's cosignature verifier key, repeatable")
        List<String> inspectorKeys = new ArrayList<>();

        @Option(names = "--cosignatures", paramLabel = "N",
                description = "with --evidence: how many of the --inspector-key inspectors must have cosigned (default: all)")
        Integer cosignatures;

        @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
                description = "time zone of the times shown (default: ${DEFAULT-VALUE})")
        ZoneId zone;

        /** One receipt read (or not) from one source. */
        private record Read(String source, String payload, Receipt receipt, String error) {}

        @Override
        public Integer call() throws IOException {
            int given = (ledger == null ? 0 : 1) + (bundle == null ? 0 : 1) + (evidence == null ? 0 : 1);
            if (given != 1) {
                throw new UserError("give exactly one of --ledger FILE, --bundle FILE or --evidence FILE to check the receipts"
                        + " against (请指定且只指定一个账本、导出包或证据文件)");
            }
            if (evidence == null && (!logKeys.isEmpty() || !inspectorKeys.isEmpty() || cosignatures != null)) {
                throw new UserError("--log-key, --inspector-key and --cosignatures go with --evidence only");
            }
            if (evidence != null && logKeys.isEmpty()) {
                throw new UserError("--evidence needs --log-key VKEY, the ledger's checkpoint verifier key (custody checkpoint"
                        + " show), to trust the evidence's checkpoint (证据核验须提供检查点公钥)");
            }
            PrintWriter out = spec.commandLine().getOut();
            List<Read> reads = read(spec.commandLine().getErr());
            Evidence.Report report = evidence == null ? null : EvidenceCommand.verify(evidence, logKeys, inspectorKeys, cosignatures);
            if (report != null && !report.intact()) {
                Custody.printFindings(out, report.findings(), zone);
                out.println("EVIDENCE DOES NOT HOLD: " + report.findings().size() + " findings; no receipt is checked against it"
                        + " (证据不成立)");
                return Exit.INTEGRITY;
            }
            boolean contradicted = false;
            boolean unusable = reads.isEmpty();
            for (Read r : reads) {
                if (r.error() != null) {
                    out.println(r.source() + "  error: " + r.error());
                    unusable = true;
                    continue;
                }
                ReceiptVerdict v = report != null
                        ? ReceiptCheck.check(r.receipt(), report, cosignatures != null && cosignatures == 0 ? List.of()
                                : inspectorKeys.isEmpty() ? List.of() : CheckpointCommand.parseKeys(inspectorKeys, "--inspector-key")
                                        .stream().map(NoteKey::name).distinct().toList())
                        : check(r.receipt());
                print(out, r, v);
                contradicted |= v.status() == ReceiptVerdict.Status.CONTRADICTED;
                unusable |= !v.held() && v.status() != ReceiptVerdict.Status.CONTRADICTED;
            }
            out.println(reads.size() + (reads.size() == 1 ? " receipt" : " receipts") + " read; "
                    + (contradicted ? "CONTRADICTED BY THE LEDGER (与账本不符)" : unusable ? "not all could be checked (部分未能核验)"
                    : "every one held by the ledger (与账本一致)"));
            out.flush();
            return contradicted ? Exit.INTEGRITY : unusable ? Exit.USAGE : Exit.OK;
        }

        private ReceiptVerdict check(Receipt receipt) {
            try (EntrySource source = ledger != null ? EntrySource.file(ledger) : Bundle.source(bundle)) {
                return ReceiptCheck.check(receipt, source);
            }
        }

        private List<Read> read(PrintWriter err) throws IOException {
            List<Read> reads = new ArrayList<>();
            if (photos.isEmpty() || photos.equals(List.of("-"))) {
                if (System.console() != null) {
                    TerminalEcho.beforeVisibleInput();
                    err.println("scan receipts now (Ctrl-D to finish) 请扫描交接单二维码");
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                int n = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    n++;
                    String text = line.strip().replace("\uFEFF", "");
                    if (!text.isEmpty()) reads.add(parse("stdin:" + n, text));
                }
                return reads;
            }
            for (String photo : photos) {
                if (photo.equals("-")) {
                    throw new UserError("'-' (standard input) cannot be mixed with photos");
                }
                List<String> codes;
                try {
                    codes = Photos.codes(Path.of(photo));
                } catch (Photos.UnreadablePhotoException e) {
                    reads.add(new Read(photo, null, null, e.getMessage()));
                    continue;
                }
                for (int i = 0; i < codes.size(); i++) {
                    reads.add(parse(codes.size() == 1 ? photo : photo + "#" + (i + 1), codes.get(i)));
                }
            }
            return reads;
        }

        private static Read parse(String source, String payload) {
            try {
                return new Read(source, payload, Receipt.parse(payload), null);
            } catch (MalformedInputException e) {
                return new Read(source, payload, null, e.getMessage());
            }
        }

        private void print(PrintWriter out, Read r, ReceiptVerdict v) {
            String head = r.source() + "  entry " + r.receipt().seq() + "  ";
            switch (v.status()) {
                case HELD -> {
                    out.println(head + "HELD  " + v.message());
                    out.println("    " + v.chinese());
                    if (v.entry() != null) out.println("    " + summary(v.entry()));
                }
                case CONTRADICTED -> {
                    out.println(head + "CONTRADICTED  the ledger contradicts the receipt (账本与交接单不符)");
                    Custody.printFindings(out, v.findings(), zone);
                }
                default -> {
                    out.println(head + v.status().name().replace('_', ' ') + "  " + v.message());
                    out.println("    " + v.chinese());
                }
            }
        }

        /** The entry the ledger holds, in a line the inspector compares with the paper. */
        private String summary(Entry e) {
            Record r = e.record();
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
            String what = r instanceof Handoff h ? h.step().wire() + " " + h.step().chinese()
                    + (h.from() == null ? "" : ", " + h.from()) + " → " + h.to()
                    : r instanceof Incident i ? i.incident().wire() + " " + i.incident().chinese() : r.type();
            return "ledger: " + r.type() + " " + what + ", " + time.format(r.at()) + " " + zone
                    + (r.moves().isEmpty() ? "" : ", " + r.moves().size() + " bag" + (r.moves().size() == 1 ? "" : "s")
                    + " (" + String.join(", ", r.moves().stream().limit(3).map(m -> m.bag().value()).toList())
                    + (r.moves().size() > 3 ? ", …" : "") + ")");
        }
    }
}
