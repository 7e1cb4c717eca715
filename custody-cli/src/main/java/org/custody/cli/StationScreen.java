package org.custody.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full screen of {@code custody station}, over a JLine terminal: a header (ledger, place, time in the exam's zone,
 * who is signed in), the scans of the batch with ✓ or ✗, the running counts, a message area and one input line.
 * Raw keyboard input is read a key at a time, so a passphrase never becomes a String and is never echoed, and the
 * station notices idleness while it waits. Every decision is {@link Station}'s.
 */
final class StationScreen {
    private static final AttributedStyle GOOD = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle BAD = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle BOLD = AttributedStyle.BOLD;

    /** Thrown from any prompt when the idle time ran out: everyone was signed out. */
    private static final class Locked extends RuntimeException {
        Locked() {
            super(null, null, false, false);
        }
    }

    private final Station station;
    private final Terminal terminal;
    private final Path keysDir;
    private final long tickMillis;
    /** What the screen shows, line by line, as last painted, and at what size. */
    private List<AttributedString> painted = List.of();
    private Size paintedSize;
    private final List<AttributedString> messages = new ArrayList<>();
    private final DateTimeFormatter clock;
    private String prompt = "";
    private final CameraFolder camera;
    /** Whether the main prompt is waiting: photos are taken only then, never into a handoff being filled in. */
    private boolean atMain;
    private final StringBuilder input = new StringBuilder();
    private int maskedLength = -1;

    StationScreen(Station station, Terminal terminal, Path keysDir, long tickMillis) {
        this(station, terminal, keysDir, tickMillis, null);
    }

    /** The screen, also taking the photos dropped into {@code camera} (null: none) as scans while at the main prompt. */
    StationScreen(Station station, Terminal terminal, Path keysDir, long tickMillis, CameraFolder camera) {
        this.camera = camera;
        this.station = station;
        this.terminal = terminal;
        this.keysDir = keysDir;
        this.tickMillis = tickMillis;
        this.clock = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(station.zone());
    }

    /** Runs the station until the officer quits (or input ends); everyone is signed out then. Returns the exit status. */
    int run() {
        Attributes saved = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.clear_screen);
        terminal.flush();
        try {
            say(AttributedStyle.DEFAULT, "Welcome. Sign in with 'in', scan labels, then 'h' for the handoff; '?' lists the commands."
                    + " 欢迎。输入 in 签到，扫描标签，输入 h 办理交接；输入 ? 查看全部命令。");
            offerKeptDraft();
            while (true) {
                String line;
                try {
                    atMain = true;
                    line = readLine("scan or command 扫描或命令 > ");
                } catch (Locked e) {
                    locked();
                    continue;
                } finally {
                    atMain = false;
                }
                if (line == null) {
                    return Exit.OK;
                }
                try {
                    if (!command(line.strip())) {
                        return Exit.OK;
                    }
                } catch (Locked e) {
                    locked();
                } catch (UserError e) {
                    messages.clear();
                    say(BAD, e.getMessage());
                } catch (ServerError e) {
                    messages.clear();
                    say(BAD, Station.serverTrouble(e));
                }
            }
        } finally {
            station.signOutAll();
            try {
                terminal.puts(Capability.exit_ca_mode);
                terminal.setAttributes(saved);
                terminal.flush();
            } catch (RuntimeException e) {
                // the terminal is gone already: nothing to restore
            }
        }
    }

    private void locked() {
        messages.clear();
        say(BAD, "Locked after " + station.idleTime().describe() + ": everyone is signed out and their keys are forgotten; sign in again with 'in'."
                + " The scans and the draft are kept. (闲置超时已锁定：所有人已签退，密钥已清除；请输入 in 重新签到。扫描记录和草稿已保留。)");
    }

    /** Handles one line typed or scanned at the main prompt; false to quit. */
    private boolean command(String line) {
        if (line.isEmpty()) {
            return true;
        }
        String[] words = line.split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        switch (verb) {
            case "q", "quit", "exit", "退出" -> {
                return false;
            }
            case "?", "help", "帮助" -> help();
            case "in", "签到" -> signIn();
            case "out", "签退" -> signOut(words);
            case "h", "handoff", "交接" -> handoff();
            case "drop", "移除" -> drop(words);
            case "clear", "清空" -> {
                station.clearScans();
                messages.clear();
                say(AttributedStyle.DEFAULT, "New batch: the scans are cleared. 新批次：已清空扫描记录。");
            }
            default -> scan(line);
        }
        return true;
    }

    private void help() {
        messages.clear();
        say(BOLD, "Commands 命令:");
        say(AttributedStyle.DEFAULT, "  (a scan)        a label scanned (or a bag id typed) is checked at once 扫描标签即时核验");
        say(AttributedStyle.DEFAULT, "  in              sign in people on duty; keys unlock together 签到（一次解锁密钥）");
        say(AttributedStyle.DEFAULT, "  out [PERSON]    sign out one person, or everyone 签退");
        say(AttributedStyle.DEFAULT, "  h               record the handoff of the bags scanned 办理交接");
        say(AttributedStyle.DEFAULT, "  drop BAG        take a bag off the batch 移除试卷袋");
        say(AttributedStyle.DEFAULT, "  clear           start a new batch 新批次");
        say(AttributedStyle.DEFAULT, "  q               quit; everyone is signed out 退出（全部签退）");
    }

    // ------------------------------------------------------------------------------------------------ commands

    private void scan(String line) {
        messages.clear();
        scanned(station.scan(line));
    }

    /** What a scan adds below the list: a box's contents, or why a bad scan was dropped. */
    private void scanned(Station.Scan s) {
        if (s.ok() && !s.contents().isEmpty()) {
            say(AttributedStyle.DEFAULT, s.bag() + " holds 箱内有 " + s.contents().size() + ": "
                    + s.contents().stream().map(BagId::value).collect(Collectors.joining(", ")));
        }
        if (!s.ok()) {
            say(BAD, "✗ dropped 已剔除: " + s.reason());
        }
    }

    /** Takes the photos dropped into the camera folder as scans, saying for each where the file went. */
    private void photos() {
        List<CameraFolder.Taken> taken = camera.poll(station);
        if (taken.isEmpty()) {
            return;
        }
        messages.clear();
        for (CameraFolder.Taken t : taken) {
            t.scans().forEach(this::scanned);
            say(t.ok() ? AttributedStyle.DEFAULT : BAD, "photo 照片 " + t.file() + " → " + camera.dir().relativize(t.movedTo())
                    + (t.ok() ? " (scanned 已扫描)" : " (rejected 未采用)"));
        }
    }

    private void drop(String[] words) {
        messages.clear();
        if (words.length < 2) {
            say(BAD, "drop which bag? type: drop BAG-ID (请输入要移除的试卷袋编号)");
            return;
        }
        boolean dropped = station.drop(BagId.of(words[1]));
        say(dropped ? AttributedStyle.DEFAULT : BAD, dropped ? words[1] + " taken off the batch (已移除)"
                : words[1] + " is not in the batch (不在本批次中)");
    }

    private void signOut(String[] words) {
        messages.clear();
        if (words.length < 2) {
            station.signOutAll();
            say(AttributedStyle.DEFAULT, "Everyone signed out; keys forgotten. 全部签退，密钥已清除。");
            return;
        }
        PersonId p = PersonId.of(words[1]);
        say(AttributedStyle.DEFAULT, station.signOut(p) ? p + " signed out; key forgotten (已签退，密钥已清除)"
                : p + " was not signed in (未签到)");
    }

    /** Everyone on duty types their id, key file and passphrase; then all keys are unlocked together. */
    private void signIn() {
        messages.clear();
        List<Station.Credential> credentials = new ArrayList<>();
        try {
            while (true) {
                String id = readLine("sign in: person id, empty when all are done 签到人员编号（全部输入后直接回车）> ");
                if (id == null || id.isBlank()) {
                    break;
                }
                PersonId person;
                try {
                    person = PersonId.of(id.strip());
                } catch (RuntimeException e) {
                    say(BAD, "'" + id.strip() + "' is not a person id (人员编号格式不符)");
                    continue;
                }
                Path file = keysDir == null ? null : keysDir.resolve(person.value() + ".key");
                if (file == null || !Files.isRegularFile(file)) {
                    String typed = readLine(person + ", your key file, or pkcs11: URI of your token key 密钥文件路径或令牌密钥 URI > ");
                    if (typed == null || typed.isBlank()) {
                        continue;
                    }
                    if (org.custody.crypto.pkcs11.TokenUri.isUri(typed.strip())) {
                        char[] pin = readSecret(person + ", PIN of your token key 令牌 PIN (not shown 不显示) > ");
                        if (pin == null) {
                            break;
                        }
                        credentials.add(new Station.Credential(person, typed.strip(), pin));
                        say(AttributedStyle.DEFAULT, person + " ready to unlock (待解锁)");
                        continue;
                    }
                    file = Path.of(typed.strip());
                }
                char[] passphrase = readSecret(person + ", passphrase 口令 (not shown 不显示) > ");
                if (passphrase == null) {
                    break;
                }
                credentials.add(new Station.Credential(person, file, passphrase));
                say(AttributedStyle.DEFAULT, person + " ready to unlock (待解锁)");
            }
        } catch (RuntimeException e) {
            credentials.forEach(c -> Arrays.fill(c.passphrase(), '\0'));
            throw e;
        }
        if (credentials.isEmpty()) {
            messages.clear();
            return;
        }
        messages.clear();
        say(AttributedStyle.DEFAULT, "Unlocking " + credentials.size() + " key" + (credentials.size() == 1 ? "" : "s")
                + " together… 正在同时解锁密钥…");
        render();
        List<Station.SignIn> results = station.signIn(credentials);
        messages.clear();
        for (Station.SignIn r : results) {
            say(r.ok() ? GOOD : BAD, (r.ok() ? "✓ " : "✗ ") + r.message());
        }
    }

    /** The handoff of the bags scanned: step, people, counts and seals, checked before anyone signs, then signed in turn. */
    private void handoff() {
        messages.clear();
        if (offerUndelivered()) {
            return;
        }
        if (station.bags().isEmpty()) {
            say(BAD, "No bags scanned yet: scan the bags' labels first. 尚未扫描试卷袋，请先扫描标签。");
            return;
        }
        StationDraftFile.Kept kept = station.typed();
        List<Step> steps = station.nextSteps();
        if (steps.isEmpty()) {
            say(BAD, "No step fits every bag scanned (their last steps differ): drop bags until they can move together."
                    + " 所扫试卷袋无共同的下一环节，请移除部分试卷袋后分批交接。");
            return;
        }
        say(BOLD, "Steps these bags can take next 可办理的环节:");
        for (int i = 0; i < steps.size(); i++) {
            say(AttributedStyle.DEFAULT, "  " + (i + 1) + "  " + steps.get(i).wire() + " " + steps.get(i).chinese());
        }
        String def = kept != null && kept.step() != null ? kept.step() : steps.size() == 1 ? steps.get(0).wire() : null;
        Step step = null;
        while (step == null) {
            String a = ask("step 环节 (number or name 序号或名称)" + (def == null ? "" : " [" + def + "]") + " > ", def);
            if (a == null) return;
            step = pick(steps, a);
            if (step == null) say(BAD, "'" + a + "' is not one of the steps offered (不在可选环节中)");
        }
        station.keepForm(form(step, null, null, List.of(), Map.of(), Map.of(), null, null, kept));

        List<Person> on = station.signedIn();
        if (on.size() < 2) {
            say(BAD, "Fewer than two people are signed in: sign them in with 'in' first. The draft is kept."
                    + " 签到人数不足两人，请先输入 in 签到。草稿已保留。");
            return;
        }
        messages.clear();
        say(BOLD, step.wire() + " " + step.chinese() + " — signed in 已签到:");
        for (int i = 0; i < on.size(); i++) {
            Person p = on.get(i);
            say(AttributedStyle.DEFAULT, "  " + (i + 1) + "  " + p.id() + " " + p.name() + "  "
                    + p.roles().stream().map(r -> r.wire() + " " + r.chinese()).collect(Collectors.joining(", ")));
        }
        PersonId from = person(on, "releasing 交出人 (number, '-' none 无)", kept == null ? null : kept.from(), true);
        station.keepForm(form(step, from, null, List.of(), Map.of(), Map.of(), null, null, kept)); // each answer kept as given
        PersonId to = person(on, "receiving 接收人 (number)", kept == null ? null : kept.to(), false);
        if (to == null) return;
        station.keepForm(form(step, from, to, List.of(), Map.of(), Map.of(), null, null, kept));
        String wdef = kept == null || kept.witnesses().isEmpty() ? null : String.join(" ", kept.witnesses());
        String w = ask("witnesses 见证人 (numbers, space between 序号以空格分隔)" + (wdef == null ? "" : " [" + wdef + "]") + " > ", wdef);
        if (w == null) return;
        List<PersonId> witnesses = new ArrayList<>();
        for (String t : w.strip().isEmpty() ? new String[0] : w.strip().split("[\\s,]+")) {
            PersonId p = resolve(on, t);
            if (p == null) {
                say(BAD, "'" + t + "' is not one of those signed in; left out (非已签到人员，已忽略)");
            } else if (!witnesses.contains(p)) {
                witnesses.add(p);
            }
        }
        station.keepForm(form(step, from, to, witnesses, Map.of(), Map.of(), null, null, kept));

        // a distribution or escort packs the bags of papers into a box scanned with them
        BagId into = null;
        List<Station.Scan> boxes = station.bags().stream().filter(x -> x.info().kind().isContainer()).toList();
        if (!boxes.isEmpty() && boxes.size() < station.bags().size()) {
            for (int i = 0; i < boxes.size(); i++) {
                say(AttributedStyle.DEFAULT, "  box 箱 " + (i + 1) + "  " + boxes.get(i).bag());
            }
            String idef = kept == null ? null : kept.into();
            String b = ask("pack the bags into box 装入运送箱 (number, empty: no 不装箱)" + (idef == null ? "" : " [" + idef + "]") + " > ", idef);
            if (b == null) return;
            String t = b.strip();
            if (!t.isEmpty()) {
                try {
                    int n = Integer.parseInt(t);
                    into = n >= 1 && n <= boxes.size() ? boxes.get(n - 1).bag() : null;
                } catch (NumberFormatException e) {
                    into = boxes.stream().map(Station.Scan::bag).filter(x -> x.value().equalsIgnoreCase(t)).findFirst().orElse(null);
                }
                if (into == null) {
                    say(BAD, "'" + t + "' is not a box scanned; not packed (不是已扫描的运送箱，未装箱)");
                }
            }
            station.keepForm(form(step, from, to, witnesses, Map.of(), Map.of(), null, into, kept));
        }

        // counts and seals of the bags of papers, the seals on record shown for comparison
        Map<BagId, Integer> counts = new LinkedHashMap<>(kept == null ? Map.of() : toBags(kept.counts()));
        Map<BagId, String> seals = new LinkedHashMap<>(kept == null ? Map.of() : kept.seals().entrySet().stream()
                .collect(Collectors.toMap(e -> BagId.of(e.getKey()), Map.Entry::getValue)));
        SealState state = kept == null || kept.sealState() == null ? null : SealState.valueOf(kept.sealState().toUpperCase(Locale.ROOT));
        Map<BagId, String> onRecord = station.sealsOnRecord();
        List<Station.Scan> papers = station.bags().stream().filter(s -> !s.info().kind().isContainer()).toList();
        String each = papers.isEmpty() ? "n" : ask("counts and seals per bag? 逐袋登记份数和封条? (y/N) > ", "n");
        if (each == null) return;
        if (each.strip().toLowerCase(Locale.ROOT).startsWith("y") || each.strip().equals("是")) {
            messages.clear();
            for (Station.Scan s : papers) {
                String rec = onRecord.get(s.bag());
                say(AttributedStyle.DEFAULT, s.bag() + "  seal on record 记录封条: " + (rec == null ? "none 无" : rec)
                        + (s.info().copies() == null ? "" : "  copies 份数 " + s.info().copies()));
                String c = ask("  count 份数 (empty: not counted 不清点) > ", null);
                if (c == null) return;
                if (!c.isBlank()) {
                    try {
                        counts.put(s.bag(), Integer.parseInt(c.strip()));
                    } catch (NumberFormatException e) {
                        say(BAD, "'" + c.strip() + "' is not a number; not counted (不是数字，未登记份数)");
                    }
                }
                String n = ask("  seal number 封条编号 (empty: not checked 不核对) > ", null);
                if (n == null) return;
                if (!n.isBlank()) seals.put(s.bag(), n.strip());
                station.keepForm(form(step, from, to, witnesses, counts, seals, state, into, kept));
            }
            if (!seals.isEmpty()) {
                String st = ask("seal state 封条状态: intact 完好 / broken 破损 [intact] > ", "intact");
                if (st == null) return;
                state = st.strip().toLowerCase(Locale.ROOT).startsWith("b") || st.contains("破") ? SealState.BROKEN : SealState.INTACT;
            }
        }
        station.keepForm(form(step, from, to, witnesses, counts, seals, state, into, kept));

        // checked before anyone signs
        Station.Prepared prepared = station.prepare(new Station.Form(step, from, to, witnesses, counts, seals, state, null, into));
        messages.clear();
        if (!prepared.signable()) {
            say(BAD, "REFUSED before anyone signed; nothing was signed or stored. The draft is kept: correct it with 'h'."
                    + " 签字前已拒绝，未签名也未保存。草稿已保留，可输入 h 更正。");
            prepared.problems().forEach(p -> say(BAD, "  " + p));
            for (Finding f : prepared.refusals()) {
                Station.explain(f, station.zone()).forEach(l -> say(BAD, "  " + l));
            }
            return;
        }
        summary(prepared.handoff());
        if (!prepared.warnings().isEmpty()) {
            say(BAD, "  to be recorded with these findings (the exam's policy records them) 将连同以下规则发现一并记录:");
        }
        for (Finding f : prepared.warnings()) {
            Station.explain(f, station.zone()).forEach(l -> say(BAD, "  " + l));
        }
        Map<PersonId, String> capacities = HandoffCommand.capacities(prepared.handoff());
        Map<PersonId, Person> people = station.ledger().people();
        for (PersonId party : prepared.draft().missing()) {
            Person p = people.get(party);
            String a = ask(party + " " + (p == null ? "" : p.name()) + " (" + capacities.get(party) + "): confirm and sign? 确认并签字? (y/N) > ", null);
            if (a == null || !(a.strip().toLowerCase(Locale.ROOT).startsWith("y") || a.strip().equals("是"))) {
                messages.clear();
                say(BAD, party + " did not confirm: nothing was stored. The draft is kept; 'h' starts the signing again."
                        + " 未确认，未保存。草稿已保留，可输入 h 重新办理。");
                return;
            }
            station.sign(prepared, party);
        }
        Appended done;
        try {
            done = station.append(prepared);
        } catch (AppendRefusedException e) {
            refused(e);
            return;
        }
        recorded(done, prepared.handoff());
    }

    private void refused(AppendRefusedException e) {
        messages.clear();
        say(BAD, "REFUSED by the ledger; nothing was stored. 账本拒绝，未保存。");
        for (Finding f : e.findings()) {
            Station.explain(f, station.zone()).forEach(l -> say(BAD, "  " + l));
        }
    }

    /**
     * If a handoff signed by everyone is waiting for the server (it could not be reached), offers to send it now; true if
     * one is waiting (sent or not), so that no new handoff starts over the same bags.
     */
    private boolean offerUndelivered() {
        Optional<org.custody.record.SignedRecord> waiting = station.undelivered();
        if (waiting.isEmpty()) {
            return false;
        }
        Handoff h = (Handoff) waiting.get().record();
        messages.clear();
        say(BOLD, "A handoff signed by everyone was not acknowledged by the server: " + h.step().wire() + " " + h.step().chinese()
                + ", " + h.bags().size() + " bags, signed by " + h.parties().stream().map(PersonId::value).collect(Collectors.joining(", "))
                + ". 有一项全员已签名的交接尚未被服务器确认。");
        String a = readLine("send it now? 现在发送? (Y/n) > ");
        messages.clear();
        if (a != null && (a.strip().toLowerCase(Locale.ROOT).startsWith("n") || a.strip().equals("否"))) {
            say(AttributedStyle.DEFAULT, "It stays kept on this station; 'h' offers it again. 已保留在本工作站，输入 h 可再次发送。");
            return true;
        }
        try {
            recorded(station.deliver(), h);
        } catch (AppendRefusedException e) {
            refused(e);
        }
        return true;
    }

    /** Shows the entry just recorded, with its receipt and findings. */
    private void recorded(Appended done, Handoff handoff) {
        Step step = handoff.step();
        messages.clear();
        say(GOOD, "✓ Recorded entry #" + done.seq() + " " + done.hash().hex().substring(0, 16) + "  " + step.wire() + " " + step.chinese()
                + "  " + handoff.bags().size() + " bags 袋  已记录第 " + done.seq() + " 条"
                + (done.alreadyPresent() ? " (it had been stored already 此前已存储)" : ""));
        String receipt = station.receipt(done);
        if (receipt != null) {
            say(receipt.contains("NOT") ? BAD : GOOD, "  " + receipt);
        }
        if (!done.findings().isEmpty()) {
            say(BAD, "  recorded with " + done.findings().size() + " custody-rule finding(s) 已记录，含规则发现:");
        }
        for (Finding f : done.findings()) {
            Station.explain(f, station.zone()).forEach(l -> say(BAD, "  " + l));
        }
    }

    /** What is to be signed, in words a signer can check, in both languages. */
    private void summary(Handoff h) {
        Map<PersonId, Person> people = station.ledger().people();
        java.util.function.Function<PersonId, String> name = p -> p + " " + Optional.ofNullable(people.get(p)).map(Person::name).orElse("");
        say(BOLD, "To be signed 待签: " + h.step().wire() + " " + h.step().chinese() + " at 地点 " + h.place().id() + ", "
                + clock.format(h.at()) + " " + station.zone());
        if (h.from() != null) say(AttributedStyle.DEFAULT, "  from 交出   " + name.apply(h.from()));
        say(AttributedStyle.DEFAULT, "  to 接收     " + name.apply(h.to()));
        h.witnesses().forEach(w -> say(AttributedStyle.DEFAULT, "  witness 见证 " + name.apply(w)));
        for (org.custody.record.BagMove m : h.bags()) {
            StringBuilder t = new StringBuilder("  bag 试卷袋  ").append(m.bag());
            if (m.count() != null) t.append("  count 份数 ").append(m.count());
            if (m.seal() != null) t.append("  seal 封条 ").append(m.seal());
            if (m.sealState() != null) t.append(' ').append(m.sealState().wire()).append(' ').append(m.sealState().chinese());
            if (m.container() != null) t.append("  in 装入 ").append(m.container());
            say(AttributedStyle.DEFAULT, t.toString());
        }
    }

    private static Map<BagId, Integer> toBags(Map<String, Integer> m) {
        Map<BagId, Integer> out = new HashMap<>();
        m.forEach((k, v) -> out.put(BagId.of(k), v));
        return out;
    }

    private static StationDraftFile.Kept form(Step step, PersonId from, PersonId to, List<PersonId> witnesses, Map<BagId, Integer> counts,
                                             Map<BagId, String> seals, SealState state, BagId into, StationDraftFile.Kept kept) {
        Map<String, Integer> c = new LinkedHashMap<>();
        counts.forEach((k, v) -> c.put(k.value(), v));
        Map<String, String> s = new LinkedHashMap<>();
        seals.forEach((k, v) -> s.put(k.value(), v));
        return new StationDraftFile.Kept(null, List.of(), step.wire(), from == null ? null : from.value(), to == null ? null : to.value(),
                witnesses.stream().map(PersonId::value).toList(),
                c, s, state == null ? null : state.wire(), null, into == null ? null : into.value());
    }

    private static Step pick(List<Step> steps, String a) {
        String t = a.strip();
        try {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= steps.size() ? steps.get(n - 1) : null;
        } catch (NumberFormatException e) {
            return steps.stream().filter(s -> s.wire().equalsIgnoreCase(t) || s.chinese().equals(t)).findFirst().orElse(null);
        }
    }

    private PersonId person(List<Person> on, String what, String def, boolean optional) {
        while (true) {
            String a = ask(what + (def == null ? "" : " [" + def + "]") + " > ", def);
            if (a == null) return null;
            if (optional && (a.isBlank() || a.strip().equals("-"))) return null;
            PersonId p = resolve(on, a.strip());
            if (p != null) return p;
            say(BAD, "'" + a.strip() + "' is not one of those signed in (非已签到人员)");
        }
    }

    private static PersonId resolve(List<Person> on, String t) {
        try {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= on.size() ? on.get(n - 1).id() : null;
        } catch (NumberFormatException e) {
            return on.stream().map(Person::id).filter(id -> id.value().equalsIgnoreCase(t)).findFirst().orElse(null);
        }
    }

    /** A question; an empty answer takes {@code def}; null if input ended. */
    private String ask(String question, String def) {
        String a = readLine(question);
        if (a == null) return null;
        return a.isBlank() && def != null ? def : a;
    }

    private void say(AttributedStyle style, String text) {
        // a message longer than the screen is wide goes on several lines: none is cut off (the Chinese often comes last)
        messages.addAll(new AttributedString(text, style).columnSplitLength(Math.max(20, terminal.getWidth() - 1)));
    }

    // ------------------------------------------------------------------------------------------------ kept draft

    private void offerKeptDraft() {
        Optional<StationDraftFile.Kept> kept;
        try {
            if (offerUndelivered()) {
                return;
            }
            kept = station.keptDraft();
        } catch (UserError e) {
            say(BAD, e.getMessage());
            return;
        }
        if (kept.isEmpty()) {
            return;
        }
        StationDraftFile.Kept k = kept.get();
        messages.clear();
        say(BOLD, "A handoff in progress was kept: " + k.scans().size() + " bag" + (k.scans().size() == 1 ? "" : "s")
                + (k.step() == null ? "" : ", step " + k.step()) + ". 有未完成的交接草稿：" + k.scans().size() + " 袋。");
        String a = readLine("resume it? 继续该草稿? (Y/n) > ");
        messages.clear();
        if (a == null || a.strip().toLowerCase(Locale.ROOT).startsWith("n") || a.strip().equals("否")) {
            station.draftFile().discard();
            say(AttributedStyle.DEFAULT, "The kept draft was thrown away. 已放弃该草稿。");
            return;
        }
        List<Station.Scan> scans = station.resume(k);
        long bad = scans.stream().filter(s -> !s.ok()).count();
        say(GOOD, "Resumed: " + (scans.size() - bad) + " bag(s) checked again" + (bad == 0 ? "" : ", " + bad + " dropped")
                + "; sign in with 'in', then 'h'. 已恢复草稿并重新核验标签；请签到后输入 h。");
    }

    // ------------------------------------------------------------------------------------------------ the screen

    /** One line typed (or scanned), shown as typed; null at the end of input. */
    private String readLine(String question) {
        prompt = question;
        input.setLength(0);
        maskedLength = -1;
        try {
            while (true) {
                render();
                int c = read();
                if (c == NonBlockingReader.EOF) {
                    return null;
                }
                if (c == '\r' || c == '\n') {
                    String line = input.toString();
                    input.setLength(0);
                    return line;
                }
                if (c == 127 || c == 8) {
                    if (input.length() > 0) input.setLength(input.length() - 1);
                } else if (c == 4 && input.length() == 0) {
                    return null;
                } else if (c == 21) {
                    input.setLength(0);
                } else if (c == 27) {
                    skipEscape();
                } else if (c >= 32) {
                    input.append((char) c);
                }
            }
        } finally {
            prompt = "";
        }
    }

    /** A passphrase, never echoed and never a String; the caller wipes it. Null at the end of input. */
    private char[] readSecret(String question) {
        prompt = question;
        char[] buffer = new char[64];
        int n = 0;
        maskedLength = 0;
        try {
            while (true) {
                render();
                int c;
                try {
                    c = read();
                } catch (Locked e) {
                    Arrays.fill(buffer, '\0');
                    throw e;
                }
                if (c == NonBlockingReader.EOF) {
                    Arrays.fill(buffer, '\0');
                    return null;
                }
                if (c == '\r' || c == '\n') {
                    char[] out = Arrays.copyOf(buffer, n);
                    Arrays.fill(buffer, '\0');
                    return out;
                }
                if (c == 127 || c == 8) {
                    if (n > 0) buffer[--n] = '\0';
                } else if (c == 21) {
                    Arrays.fill(buffer, '\0');
                    n = 0;
                } else if (c >= 32) {
                    if (n == buffer.length) {
                        char[] bigger = Arrays.copyOf(buffer, n * 2);
                        Arrays.fill(buffer, '\0');
                        buffer = bigger;
                    }
                    buffer[n++] = (char) c;
                }
            }
        } finally {
            maskedLength = -1;
            prompt = "";
        }
    }

    /** The next key, waiting in ticks that redraw the clock and check the idle time. */
    private int read() {
        NonBlockingReader reader = terminal.reader();
        try {
            while (true) {
                int c = reader.read(tickMillis);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    if (station.lockIfIdle()) {
                        throw new Locked();
                    }
                    if (atMain && camera != null) {
                        photos();
                    }
                    render();
                    continue;
                }
                if (c != NonBlockingReader.EOF) {
                    station.touch();
                }
                return c;
            }
        } catch (IOException e) { // the terminal went away (closed): the end of input
            return NonBlockingReader.EOF;
        }
    }

    private void skipEscape() {
        try {
            int c = terminal.reader().read(50);
            if (c == '[' || c == 'O') {
                do {
                    c = terminal.reader().read(50);
                } while (c >= 0 && (c < 0x40 || c > 0x7e));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Size size() {
        Size s = terminal.getSize();
        return s == null || s.getColumns() <= 0 || s.getRows() <= 0 ? new Size(100, 30) : s;
    }

    /** Draws the screen: only the lines that changed are sent again. */
    void render() {
        Size size = size();
        int width = size.getColumns();
        int height = size.getRows();
        List<AttributedString> lines = new ArrayList<>();
        lines.add(new AttributedStringBuilder().style(BOLD).append("Custody station 交接工作站").style(AttributedStyle.DEFAULT)
                .append("  ledger 账本 " + station.ledger().id() + "  place 地点 " + station.place() + "  "
                        + clock.format(station.now()) + " " + station.zone()).toAttributedString());
        List<Person> on = station.signedIn();
        lines.add(new AttributedString("Signed in 已签到: " + (on.isEmpty() ? "nobody 无人" : on.stream()
                .map(p -> p.id() + " " + p.name()).collect(Collectors.joining(", ")))
                + "  (locks after 闲置锁定 " + station.idleTime().describe() + ")"));
        lines.add(new AttributedString("-".repeat(Math.max(1, width - 1))));
        List<AttributedString> scans = new ArrayList<>();
        for (Station.Scan s : station.log()) {
            scans.add(scanLine(s));
        }
        int room = Math.max(1, height - 6 - Math.min(messages.size(), height / 2));
        int from = Math.max(0, scans.size() - room);
        if (from > 0) {
            scans.set(from, new AttributedString("  … " + from + " earlier scans 更早的扫描"));
        }
        lines.addAll(scans.subList(from, scans.size()));
        while (lines.size() < 3 + room) {
            lines.add(AttributedString.EMPTY);
        }
        Map<BagKind, Integer> kinds = station.countsByKind();
        lines.add(new AttributedString("Batch 本批: " + station.bags().size() + " ✓ ("
                + (kinds.isEmpty() ? "none 无" : kinds.entrySet().stream().map(e -> e.getKey().wire() + " " + e.getKey().chinese() + " " + e.getValue())
                        .collect(Collectors.joining(", "))) + ")  " + station.rejectedCount() + " ✗ dropped 已剔除"));
        lines.add(new AttributedString("-".repeat(Math.max(1, width - 1))));
        int maxMessages = Math.max(0, height - lines.size() - 1);
        List<AttributedString> shown = messages.size() > maxMessages ? messages.subList(messages.size() - maxMessages, messages.size()) : messages;
        lines.addAll(shown);
        while (lines.size() < height - 1) {
            lines.add(AttributedString.EMPTY);
        }
        String typed = maskedLength >= 0 ? "" : input.toString();
        AttributedString promptLine = new AttributedString(prompt + typed);
        lines.add(promptLine);
        List<AttributedString> fitted = new ArrayList<>();
        for (AttributedString l : lines.subList(0, Math.min(lines.size(), height))) {
            fitted.add(l.columnLength() >= width ? l.columnSubSequence(0, width - 1) : l);
        }
        // repainted a whole line at a time, each from its first column: a terminal whose idea of a character's width
        // differs from JLine's (ambiguous-width signs in a CJK locale) still shows every line where it belongs
        boolean full = !size.equals(paintedSize);
        if (full) {
            terminal.puts(Capability.clear_screen);
            paintedSize = new Size(width, height);
        }
        for (int i = 0; i < fitted.size(); i++) {
            if (full || i >= painted.size() || !painted.get(i).equals(fitted.get(i))) {
                terminal.puts(Capability.cursor_address, i, 0);
                terminal.writer().print(fitted.get(i).toAnsi(terminal));
                terminal.puts(Capability.clr_eol);
            }
        }
        painted = fitted;
        int col = Math.min(width - 1, fitted.get(fitted.size() - 1).columnLength());
        terminal.puts(Capability.cursor_address, fitted.size() - 1, col);
        terminal.flush();
    }

    private static AttributedString scanLine(Station.Scan s) {
        if (!s.ok()) {
            return new AttributedStringBuilder().style(BAD).append("✗ ").append(s.bag() == null ? shorten(s.line()) : s.bag().value())
                    .append("  ").append(s.rejection().english).append(" ").append(s.rejection().chinese).toAttributedString();
        }
        var b = s.info();
        StringBuilder t = new StringBuilder(" ").append(s.bag());
        if (s.source() != null) {
            t.append(" (photo 照片 ").append(s.source()).append(")");
        }
        t.append("  ").append(b.kind().chinese());
        if (b.site() != null) t.append("  ").append(b.site());
        if (b.room() != null) t.append(" room 考场 ").append(b.room());
        if (b.subject() != null) t.append("  ").append(b.subject());
        if (b.set() != null) t.append("  set 卷 ").append(b.set());
        if (b.copies() != null) t.append("  ").append(b.copies()).append(" copies 份");
        if (!s.contents().isEmpty()) t.append("  holds 内装 ").append(s.contents().size());
        t.append("  now 现在: ").append(s.where().describe());
        if (!s.labelled() && s.source() == null) {
            t.append("  (typed 手工输入)");
        }
        return new AttributedStringBuilder().style(GOOD).append("✓").style(AttributedStyle.DEFAULT).append(t.toString()).toAttributedString();
    }

    private static String shorten(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }
}
