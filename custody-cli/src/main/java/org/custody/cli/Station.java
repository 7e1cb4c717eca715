package org.custody.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.KeyFileException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.crypto.pkcs11.TokenException;
import org.custody.crypto.pkcs11.TokenKeys;
import org.custody.crypto.pkcs11.TokenUri;
import org.custody.failure.MalformedInputException;
import org.custody.label.Label;
import org.custody.label.LabelVerdict;
import org.custody.label.MalformedLabelException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.record.SignedRecord;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RegisteredPlace;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;

/**
 * What {@code custody station} does, without a screen: the people signed in for the shift and their unlocked keys
 * (memory only), the bags scanned so far (each checked on the spot), and the handoff being drafted, checked against
 * the custody rules before anyone signs (the ledger gate's own preflight, {@link org.custody.ledger.Draft#refusals()},
 * run by the ledger's side of {@link StationLedger}: no rule is repeated here). The ledger is a local file or a Custody
 * server's ({@link StationLedger}); the logic is the same over both. The screen ({@link StationScreen}) is a thin layer
 * over it; tests drive this class directly.
 * Every message meant for an officer is in English and Chinese.
 */
final class Station implements AutoCloseable {

    private final StationLedger ledger;
    private final String place;
    private final ZoneId zone;
    private final Clock clock;
    /** The longest idle time the command line allows ({@code --idle}), or null: the exam's policy alone decides. */
    private final Duration idleCap;
    private final StationDraftFile draftFile;
    /** Unlocked keys of the people signed in, in sign-in order. Never written anywhere. */
    private final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
    private volatile Path tokenModule;
    /** Bags accepted, in scan order, with the scan that accepted them. */
    private final Map<BagId, Scan> accepted = new LinkedHashMap<>();
    private final List<Scan> log = new ArrayList<>();
    private StationReceipts receipts;
    private int rejected;
    /** Whether {@link #log} shows the batch last recorded rather than the one being scanned. */
    private boolean past;
    private Instant lastActivity;

    private Station(StationLedger ledger, StationDraftFile draftFile, String place, ZoneId zone, Clock clock, Duration idleCap) {
        this.ledger = ledger;
        this.place = place;
        this.zone = zone;
        this.clock = clock;
        this.idleCap = idleCap;
        this.draftFile = draftFile;
        this.lastActivity = clock.instant();
    }

    /**
     * The station at {@code place} over the ledger file {@code file}, held open until {@link #close()}. It locks after the
     * idle time the exam's policy states ({@link #idle()}), or after {@code idleCap} if that is shorter (null: no cap).
     */
    static Station open(Path file, String place, ZoneId zone, Clock clock, Duration idleCap) {
        requirePlace(place);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new UserError("ledger " + file + " does not exist; check the path, or create it with 'custody init' (账本文件不存在)");
        }
        return open(new LocalStationLedger(Ledger.open(file)), file, place, zone, clock, idleCap);
    }

    /**
     * The station at {@code place} over {@code ledger} (closed with the station), keeping its draft in progress beside
     * {@code draftBase} ({@code BASE.station-PLACE.json}, {@link StationDraftFile}).
     */
    static Station open(StationLedger ledger, Path draftBase, String place, ZoneId zone, Clock clock, Duration idleCap) {
        try {
            requirePlace(place);
            Station station = new Station(ledger, new StationDraftFile(draftBase, place.strip()), place.strip(), zone, clock, idleCap);
            station.draftFile.claim();
            return station;
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    private static void requirePlace(String place) {
        if (place == null || place.isBlank()) {
            throw new UserError("no place: give --place PLACE, where this station stands, e.g. VAULT (请指定工作站所在地点)");
        }
    }

    StationLedger ledger() {
        return ledger;
    }

    /** Everyone enrolled in the ledger. */
    Map<PersonId, Person> people() {
        return ledger.people();
    }

    String place() {
        return place;
    }

    ZoneId zone() {
        return zone;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** How the idle time was set: by the exam's policy, or shortened by the command line. */
    record IdleTime(Duration time, boolean byPolicy) {
        /** E.g. "10 min idle (exam policy 考试政策)". */
        String describe() {
            long s = time.toSeconds();
            return (s % 60 == 0 ? s / 60 + " min" : s + " s") + " idle" + (byPolicy ? " (exam policy 考试政策)" : " (--idle)");
        }
    }

    private IdleTime idleTime;

    /**
     * How long the station may stand idle before it locks: the shortest {@code stationIdleMinutes} of the policies in force
     * for the ledger's exams ({@link org.custody.model.Policy#stationIdleAllowed}, 10 minutes where none is stated), or the
     * command line's {@code --idle} when shorter. Read again when the ledger grew (a policy change takes effect at once),
     * or on a server after {@link RemoteStationLedger#FRESH}; while the server cannot be reached, the last time read holds.
     */
    IdleTime idleTime() {
        Duration policy;
        try {
            policy = ledger.stationIdle();
        } catch (ServerError e) {
            if (idleTime != null) {
                return idleTime;
            }
            policy = org.custody.model.Policy.STATION_IDLE;
        }
        idleTime = idleCap != null && idleCap.compareTo(policy) < 0 ? new IdleTime(idleCap, false) : new IdleTime(policy, true);
        return idleTime;
    }

    Duration idle() {
        return idleTime().time();
    }

    StationDraftFile draftFile() {
        return draftFile;
    }

    // ------------------------------------------------------------------------------------------------ shift sign-in

    /**
     * One person's credentials as typed at sign-in: a key file and its passphrase, or a key on a hardware token (a
     * {@code pkcs11:} URI, RFC 7512) and its PIN. The passphrase or PIN is wiped by {@link #signIn} whatever happens.
     */
    record Credential(PersonId person, String key, char[] passphrase) {
        Credential(PersonId person, Path keyFile, char[] passphrase) {
            this(person, keyFile == null ? null : keyFile.toString(), passphrase);
        }

        boolean onToken() {
            return key != null && TokenUri.isUri(key);
        }
    }

    /**
     * The PKCS#11 module of token keys whose URI names none ({@code --pkcs11-module}); without it, the
     * {@code CUSTODY_PKCS11_MODULE} environment variable.
     */
    void tokenModule(Path module) {
        this.tokenModule = module;
    }

    private SigningKey unlock(Credential c) {
        if (!c.onToken()) {
            return KeyFiles.read(Path.of(c.key()), c.passphrase());
        }
        TokenUri uri = TokenUri.parse(c.key());
        Path module = SignerOptions.module(uri, tokenModule);
        if (module == null) {
            throw new NoModule("no PKCS#11 module for the token key " + uri.describe() + ": start the station with"
                    + " --pkcs11-module FILE, or put module-path in the URI (未指定 PKCS#11 模块)");
        }
        return TokenKeys.unlock(uri, module, c.passphrase());
    }

    /** A token key named without the module that reaches its token. */
    private static final class NoModule extends RuntimeException {
        NoModule(String message) {
            super(message);
        }
    }

    /** How one person's sign-in went. */
    record SignIn(PersonId person, boolean ok, String message) {}

    /**
     * Signs in everyone in {@code credentials}: their keys are unlocked in parallel (each PBKDF2 derivation on its own
     * thread), then each key is checked to be the person's current enrolled key, of the ledger's algorithm. Every
     * passphrase array is wiped before this returns. A failed sign-in leaves the others signed in.
     */
    List<SignIn> signIn(List<Credential> credentials) {
        touch();
        List<SignIn> out = new ArrayList<>();
        Map<PersonId, Person> people = ledger.people();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(credentials.size(),
                Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<SigningKey>> unlocking = new ArrayList<>();
            for (Credential c : credentials) {
                if (!people.containsKey(c.person()) || c.key() == null
                        || !c.onToken() && !java.nio.file.Files.isRegularFile(Path.of(c.key()))) {
                    unlocking.add(null);
                    continue;
                }
                unlocking.add(pool.submit(() -> unlock(c)));
            }
            for (int i = 0; i < credentials.size(); i++) {
                Credential c = credentials.get(i);
                Future<SigningKey> f = unlocking.get(i);
                if (f == null) {
                    out.add(new SignIn(c.person(), false, !people.containsKey(c.person())
                            ? c.person() + " is not enrolled in this ledger; check the person id (人员未登记，请核对编号)"
                            : "no key file " + (c.key() == null ? "given" : c.key()) + " for " + c.person()
                                    + "; check the path (密钥文件不存在，请核对路径)"));
                    continue;
                }
                try {
                    out.add(accept(people.get(c.person()), c.key(), f.get()));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof NoModule n) {
                        out.add(new SignIn(c.person(), false, n.getMessage()));
                        continue;
                    }
                    if (e.getCause() instanceof TokenException t) {
                        out.add(new SignIn(c.person(), false, "cannot unlock the token key of " + c.person() + " (" + t.getMessage()
                                + ")" + (t.wrongPin() ? ": sign in again with the right PIN; each wrong PIN counts toward the"
                                + " token's lock (PIN 错误，请重新签到；每次输错都会计入令牌锁定次数)" : " (无法使用令牌密钥)")));
                        continue;
                    }
                    String why = e.getCause() instanceof KeyFileException k ? k.getMessage() : String.valueOf(e.getCause());
                    out.add(new SignIn(c.person(), false, "cannot unlock the key of " + c.person() + " (" + why
                            + "): wrong passphrase? sign in again (无法解锁密钥，口令是否有误？请重新签到)"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.add(new SignIn(c.person(), false, "interrupted (已中断)"));
                }
            }
        } finally {
            pool.shutdownNow();
            credentials.forEach(c -> Arrays.fill(c.passphrase(), '\0'));
        }
        touch();
        return out;
    }

    private SignIn accept(Person person, String file, SigningKey key) {
        PersonId id = person.id();
        if (key.algorithm() != ledger.suite().signature()) {
            return new SignIn(id, false, "key " + file + " of " + id + " holds an " + key.algorithm().wire() + " key but the ledger uses "
                    + ledger.suite().signature().wire() + " (密钥算法与账本不符)");
        }
        List<EnrolledKey> theirs = ledger.keysOf(id);
        boolean current = theirs.stream().anyMatch(k -> k.id().equals(key.id()) && k.revoked().map(r -> r.isAfter(now())).orElse(true));
        if (!current) {
            return new SignIn(id, false, "key " + file + " is not a current enrolled key of " + id
                    + "; sign in with the person's current key ('custody keys list') (该密钥不是本人当前登记的有效密钥)");
        }
        SigningKey before = keys.put(id, key);
        if (before != null && before != key) {
            forget(before);
        }
        return new SignIn(id, true, id + " " + person.name() + " signed in (已签到)");
    }

    /** The people signed in, in sign-in order. */
    List<Person> signedIn() {
        Map<PersonId, Person> people = ledger.people();
        return keys.keySet().stream().map(people::get).filter(java.util.Objects::nonNull).toList();
    }

    boolean isSignedIn(PersonId person) {
        return keys.containsKey(person);
    }

    /** Signs {@code person} out, wiping their key ({@link SigningKey#destroy()}); false if they were not signed in. */
    boolean signOut(PersonId person) {
        touch();
        SigningKey key = keys.remove(person);
        if (key == null) {
            return false;
        }
        forget(key);
        return true;
    }

    /** Signs everyone out and wipes every key: at an idle lock, at quitting, and when the station closes. */
    void signOutAll() {
        keys.values().forEach(Station::forget);
        keys.clear();
    }

    /**
     * The one place an unlocked key leaves the station (sign-out, idle lock, exit). Today the object is only dropped:
     * {@link SigningKey} offers no way to overwrite its private key. When it does, the wipe call goes here.
     */
    private static void forget(SigningKey key) {
        key.destroy(); // zeroed in memory, or the token session closed (SigningKey#destroy)
    }

    /** Notes that someone used the station now. */
    void touch() {
        lastActivity = clock.instant();
    }

    /** If the station stood idle for longer than its idle time with people signed in: signs everyone out; true if it did. */
    boolean lockIfIdle() {
        if (!keys.isEmpty() && Duration.between(lastActivity, clock.instant()).compareTo(idle()) >= 0) {
            signOutAll();
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ scanning

    /** Why a scan was not taken. */
    enum Rejection {
        UNREADABLE("not a readable label", "无法识别的标签"),
        NOT_THIS_EXAM("not this exam", "非本场考试"),
        FORGED_OR_STALE("forged or stale label", "标签伪造或已失效"),
        NOT_REGISTERED("bag not registered", "试卷袋未登记"),
        UNCHECKED("could not be checked", "无法核验"),
        WRONG_PLACE("wrong place", "地点不符"),
        ALREADY_SCANNED("already scanned", "重复扫描");

        final String english;
        final String chinese;

        Rejection(String english, String chinese) {
            this.english = english;
            this.chinese = chinese;
        }
    }

    /**
     * Where the ledger says a bag is now: its last handoff's step, holder and place, the container it is in, its head (the
     * hash of the last entry that named it) and its latest recorded seal number (or null).
     */
    record Whereabouts(Step step, PersonId holder, String place, BagId container, long lastSeq, org.custody.crypto.Hash head,
                       String seal) {
        String describe() {
            if (step == null) {
                return "registered, not handed over yet (已登记，尚未交接)";
            }
            return step.wire() + " " + step.chinese() + " at 在 " + place + ", held by 保管人 " + holder
                    + (container == null ? "" : ", in 装于 " + container);
        }
    }

    /**
     * One scanned line and what the check found: {@code rejection} null means ✓ (the bag is taken), else ✗ with
     * {@code reason} in English and Chinese. {@code source}: the photo it was read from (a camera folder's file name),
     * null for the scanner or the keyboard.
     */
    record Scan(String line, BagId bag, Bag info, Whereabouts where, List<BagId> contents, Rejection rejection, String reason,
                boolean labelled, String source) {
        boolean ok() {
            return rejection == null;
        }

        Scan from(String file) {
            return new Scan(line, bag, info, where, contents, rejection, reason, labelled, file);
        }
    }

    /**
     * Checks one scanned line (a label, or a typed bag id) on the spot. A good scan adds its bag to the handoff; a bad
     * one is dropped, with the reason, and nothing else changes: one bad label never spoils the batch.
     */
    Scan scan(String line) {
        return scan(line, null);
    }

    /** {@link #scan(String)} of a label read from the photo {@code source} (a file name), or from the scanner (null). */
    Scan scan(String line, String source) {
        Scan s = check(line.strip().replace("\uFEFF", ""));
        return logged(source == null ? s : s.from(source));
    }

    /** Notes a photo in which no label could be read ({@code reason} says why), as a ✗ scan: nothing else changes. */
    Scan unreadable(String source, String reason) {
        return logged(new Scan(source, null, null, null, List.of(), Rejection.UNREADABLE, reason, false, source));
    }

    private Scan logged(Scan s) {
        touch();
        if (past) { // the first scan after an entry was recorded starts the new batch's list
            log.clear();
            past = false;
        }
        log.add(s);
        if (s.ok()) {
            accepted.put(s.bag(), s);
            keep();
        } else {
            rejected++;
        }
        return s;
    }

    private Scan check(String text) {
        BagId bag;
        StationLedger.Found found = null;
        boolean labelled = text.toUpperCase(Locale.ROOT).startsWith(Label.PREFIX.toUpperCase(Locale.ROOT));
        if (labelled) {
            Label label;
            try {
                label = Label.parse(text);
            } catch (MalformedLabelException e) {
                return rejected(text, null, Rejection.UNREADABLE, e.getMessage() + "; scan the label again (请重新扫描标签)");
            }
            // the bag's history is read once, for the label's check and for where the bag is now
            List<Entry> history = List.of();
            if (ledger.id().equals(label.ledger())) {
                try {
                    found = ledger.bag(label.bag()).orElse(null);
                } catch (StationLedger.NotYours e) {
                    return rejected(text, label.bag(), Rejection.WRONG_PLACE, e.getMessage());
                } catch (ServerError e) {
                    return unchecked(text, label.bag(), e);
                }
                history = found == null ? List.of() : found.history();
            }
            LabelVerdict verdict = org.custody.label.LabelCheck.check(label, ledger.id(), ledger.suite().hash(), history);
            switch (verdict.status()) {
                case OK -> bag = label.bag();
                case OTHER_LEDGER -> {
                    return rejected(text, label.bag(), Rejection.NOT_THIS_EXAM, verdict.message()
                            + "; this station records in " + ledger.id() + " (该标签属于其他考试的账本)");
                }
                case UNKNOWN_BAG -> {
                    return rejected(text, label.bag(), Rejection.NOT_REGISTERED, "I10 " + verdict.message()
                            + ". Do not accept the bag: report the label ('custody incident') (标签所列试卷袋未登记，请勿接收并登记异常)");
                }
                default -> {
                    return rejected(text, label.bag(), Rejection.FORGED_OR_STALE, "I10 " + verdict.message()
                            + ". Do not accept the bag: report the label ('custody incident') (标签与封装记录不符，请勿接收并登记异常)");
                }
            }
        } else {
            try {
                bag = BagId.of(text);
            } catch (MalformedInputException | IllegalArgumentException e) {
                return rejected(text, null, Rejection.UNREADABLE, "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                        + "' is neither a label nor a bag id; scan the bag's label again (既不是标签也不是试卷袋编号，请重新扫描)");
            }
        }
        if (found == null) {
            try {
                found = ledger.bag(bag).orElse(null);
            } catch (StationLedger.NotYours e) {
                return rejected(text, bag, Rejection.WRONG_PLACE, e.getMessage());
            } catch (ServerError e) {
                return unchecked(text, bag, e);
            }
        }
        Optional<Bag> info = Optional.ofNullable(found).map(StationLedger.Found::bag);
        if (info.isEmpty()) {
            return rejected(text, bag, Rejection.NOT_REGISTERED, "bag " + bag + " is not registered in " + ledger.id()
                    + "; check the label (试卷袋未在本账本登记，请核对)");
        }
        if (accepted.containsKey(bag)) {
            return rejected(text, bag, Rejection.ALREADY_SCANNED, "bag " + bag + " was scanned already; counted once (已扫描，只计一次)");
        }
        String site;
        List<BagId> contents;
        try {
            site = site();
            contents = info.get().kind().isContainer() ? ledger.contents(bag) : List.of();
        } catch (ServerError e) {
            return unchecked(text, bag, e);
        }
        if (site != null && info.get().site() != null && !info.get().site().equals(site)) {
            return rejected(text, bag, Rejection.WRONG_PLACE, "bag " + bag + " belongs to site " + info.get().site()
                    + ", not to " + site + " where this station stands; set it aside (该袋属于考点 " + info.get().site()
                    + "，不属于本工作站所在考点 " + site + "，请单独放置)");
        }
        return new Scan(text, bag, info.get(), whereabouts(bag, found.history()), contents, null, null, labelled, null);
    }

    /** A scan that could not be checked because the server did not answer: dropped, to be scanned again. */
    private static Scan unchecked(String line, BagId bag, ServerError e) {
        return rejected(line, bag, Rejection.UNCHECKED, serverTrouble(e) + " Scan the label again (请重新扫描)");
    }

    /**
     * What went wrong with the server, in English and Chinese, for the screen: no answer (nothing is lost: the scans and
     * any handoff signed are kept on this station), or the server's own refusal.
     */
    static String serverTrouble(ServerError e) {
        if (e.httpStatus() == 0) {
            return "The server cannot be reached (无法连接服务器); nothing signed is lost: the scans and any handoff signed are kept"
                    + " on this station (已签名的交接和扫描记录均保存在本工作站，不会丢失). " + e.getMessage();
        }
        return "The server refused (服务器拒绝了该请求): " + e.getMessage();
    }

    private static Scan rejected(String line, BagId bag, Rejection why, String reason) {
        return new Scan(line, bag, null, null, List.of(), why, reason, true, null);
    }

    /**
     * The exam site this station stands at, if its place says: a registered place of a site, a site's id, or
     * SITE-ROOM. Null at a place of no site (a vault, a printer): bags of every site are taken there.
     */
    String site() {
        for (RegisteredPlace p : ledger.places()) {
            if (p.id().equals(place) && p.site() != null) {
                return p.site();
            }
        }
        if (ledger.isSite(place)) {
            return place;
        }
        int dash = place.indexOf('-');
        return dash > 0 && ledger.isSite(place.substring(0, dash)) ? place.substring(0, dash) : null;
    }

    /** Where the ledger says {@code bag} is now, from its own entries. */
    Whereabouts whereabouts(BagId bag) {
        return whereabouts(bag, ledger.bag(bag).map(StationLedger.Found::history).orElse(List.of()));
    }

    private Whereabouts whereabouts(BagId bag, List<Entry> history) {
        BagStatus status = BagStatus.of(bag, history);
        String at = null;
        String seal = null;
        for (Entry e : history) {
            if (e.record() instanceof Handoff h) {
                at = h.place().id();
            }
            for (BagMove m : e.record().moves()) {
                if (m.bag().equals(bag) && m.seal() != null) {
                    seal = m.seal();
                }
            }
        }
        org.custody.crypto.Hash head = history.isEmpty() ? null : history.get(history.size() - 1).hash(ledger.suite().hash());
        return new Whereabouts(status.step(), status.holder(), at, status.container(), status.lastSeq(), head, seal);
    }

    /** Every scan so far, good and bad, in order. */
    List<Scan> log() {
        return List.copyOf(log);
    }

    /** The bags taken for the handoff, in scan order. */
    List<Scan> bags() {
        return List.copyOf(accepted.values());
    }

    int rejectedCount() {
        return rejected;
    }

    /** The bags taken, counted per kind, in the kinds' order. */
    Map<BagKind, Integer> countsByKind() {
        Map<BagKind, Integer> counts = new EnumMap<>(BagKind.class);
        accepted.values().forEach(s -> counts.merge(s.info().kind(), 1, Integer::sum));
        return counts;
    }

    /** Takes {@code bag} off the handoff; false if it was not on it. */
    boolean drop(BagId bag) {
        touch();
        boolean dropped = accepted.remove(bag) != null;
        keep();
        return dropped;
    }

    /** Starts a new batch: no bags, no log. */
    void clearScans() {
        accepted.clear();
        log.clear();
        rejected = 0;
        past = false;
        typed = null;
        draftFile.discard();
    }

    // ------------------------------------------------------------------------------------------------ the kept draft

    /** The handoff's fields typed so far (scans aside), kept with the scans; null before any. */
    private StationDraftFile.Kept typed;

    /** Keeps the fields of the handoff typed so far on disk, with the bags scanned. */
    void keepForm(StationDraftFile.Kept fields) {
        typed = fields;
        keep();
    }

    /** Writes the draft in progress beside the ledger, or removes it when there is nothing to keep. */
    private void keep() {
        if (accepted.isEmpty() && typed == null) {
            draftFile.discard();
            return;
        }
        List<String> lines = accepted.values().stream().map(Scan::line).toList();
        StationDraftFile.Kept k = typed == null ? StationDraftFile.Kept.scansOnly(place, lines)
                : new StationDraftFile.Kept(place, lines, typed.step(), typed.from(), typed.to(), typed.witnesses(), typed.counts(),
                        typed.seals(), typed.sealState(), typed.note(), typed.into());
        draftFile.save(k);
    }

    /** The draft kept by an earlier run of the station over this ledger, if any. */
    Optional<StationDraftFile.Kept> keptDraft() {
        return draftFile.load();
    }

    /**
     * Takes up a kept draft: every line is scanned again (a label may have gone stale meanwhile: it is then dropped,
     * with the reason), and the fields typed are offered again. Returns the scans.
     */
    List<Scan> resume(StationDraftFile.Kept kept) {
        clearScans();
        typed = kept.step() == null && kept.from() == null && kept.to() == null ? null : kept;
        List<Scan> out = new ArrayList<>();
        for (String line : kept.scans()) {
            out.add(scan(line));
        }
        keep();
        return out;
    }

    /** The fields typed in the kept draft being resumed, or null. */
    StationDraftFile.Kept typed() {
        return typed;
    }

    // ------------------------------------------------------------------------------------------------ the handoff

    /**
     * The steps every bag taken can take next, as the custody rules judge it: for each step, a trial draft of the
     * handoff is preflighted by the ledger and the step is offered only if no bag breaks the life cycle (R05).
     */
    List<Step> nextSteps() {
        if (accepted.isEmpty()) {
            return List.of();
        }
        PersonId anyone = keys.isEmpty() ? ledger.people().keySet().iterator().next() : keys.keySet().iterator().next();
        List<Step> out = new ArrayList<>();
        for (Step step : Step.values()) {
            Handoff.Builder trial = Handoff.builder(step).at(now()).to(anyone).place(Place.of(place, null)).bags(moves(Map.of(), Map.of(), null, null));
            StationLedger.Pending d = ledger.draft(trial);
            if (java.util.stream.Stream.concat(d.refusals().stream(), d.warnings().stream()).noneMatch(f -> f.code() == FindingCode.R05)) {
                out.add(step);
            }
        }
        return out;
    }

    /**
     * The seal number each bag taken carries on record (its latest recorded seal, as read at its scan), for comparison at
     * the seal check.
     */
    Map<BagId, String> sealsOnRecord() {
        Map<BagId, String> seals = new LinkedHashMap<>();
        accepted.forEach((bag, scan) -> seals.put(bag, scan.where().seal()));
        return seals;
    }

    /** The handoff as the officer fills it in: step, people, and per bag of papers a count and a seal number. */
    record Form(Step step, PersonId from, PersonId to, List<PersonId> witnesses, Map<BagId, Integer> counts,
                Map<BagId, String> seals, SealState sealState, String note, BagId into) {
        Form {
            witnesses = List.copyOf(witnesses);
            counts = Map.copyOf(counts);
            seals = Map.copyOf(seals);
        }
    }

    /**
     * A handoff drafted and preflighted, not yet signed: {@code problems} (people not signed in, an unregistered
     * place) and {@code refusals} (what the ledger would refuse) must be empty before anyone is asked to sign;
     * {@code warnings} are rule findings the exam's policy records rather than refuses.
     */
    record Prepared(StationLedger.Pending draft, Handoff handoff, List<String> problems, List<Finding> refusals, List<Finding> warnings) {
        boolean signable() {
            return problems.isEmpty() && refusals.isEmpty();
        }
    }

    private List<BagMove> moves(Map<BagId, Integer> counts, Map<BagId, String> seals, SealState state, BagId into) {
        List<BagMove> moves = new ArrayList<>();
        for (Scan s : accepted.values()) {
            BagMove m = ledger.move(s.bag(), s.where().head());
            if (!s.info().kind().isContainer()) {
                Integer count = counts.get(s.bag());
                String seal = seals.get(s.bag());
                if (count != null || seal != null || state != null || into != null) {
                    m = new BagMove(m.bag(), m.prev(), count, null, null, seal, state, into);
                }
            }
            moves.add(m);
        }
        return moves;
    }

    /** Drafts the handoff of the bags taken as {@code form} says, and checks it before anyone signs. */
    Prepared prepare(Form form) {
        touch();
        if (accepted.isEmpty()) {
            throw new UserError("no bags scanned: scan the bags' labels first (请先扫描试卷袋标签)");
        }
        List<String> problems = new ArrayList<>();
        List<PersonId> parties = new ArrayList<>();
        if (form.from() != null) parties.add(form.from());
        parties.add(form.to());
        parties.addAll(form.witnesses());
        for (PersonId p : parties) {
            if (!keys.containsKey(p)) {
                problems.add(p + " is not signed in at this station: sign in first (" + p + " 尚未签到，请先签到)");
            }
        }
        if (form.into() != null) {
            Scan box = accepted.get(form.into());
            if (box == null || !box.info().kind().isContainer()) {
                problems.add(form.into() + " is not a container scanned for this handoff: scan the box's label first"
                        + " (请先扫描运送箱标签)");
            }
        }
        java.util.Set<String> sites = new java.util.HashSet<>();
        accepted.values().forEach(s -> {
            if (s.info().site() != null) sites.add(s.info().site());
        });
        try {
            Places.require(ledger.places(), Places.expected(form.step()), place, sites);
        } catch (UserError e) {
            problems.add(e.getMessage());
        }
        Handoff.Builder builder = Handoff.builder(form.step()).at(now()).from(form.from()).to(form.to()).witnesses(form.witnesses())
                .place(Place.of(place, null)).bags(moves(form.counts(), form.seals(), form.sealState(), form.into())).note(form.note());
        StationLedger.Pending draft = ledger.draft(builder);
        return new Prepared(draft, draft.handoff(), problems, draft.refusals(), draft.warnings());
    }

    /** Signs {@code prepared} with the key {@code person} unlocked at sign-in, after they confirmed what is shown. */
    void sign(Prepared prepared, PersonId person) {
        touch();
        if (!prepared.signable()) {
            throw new IllegalStateException("a draft with problems or refusals is never signed");
        }
        SigningKey key = keys.get(person);
        if (key == null) {
            throw new UserError(person + " is not signed in (anymore); sign in and start the handoff again (尚未签到，请签到后重新交接)");
        }
        prepared.draft().sign(person, key);
    }

    /**
     * Appends the fully signed draft: the entry is durable when this returns (the ledger's own transaction). The batch
     * is cleared and the kept draft removed.
     *
     * @throws AppendRefusedException if the ledger refuses it after all (another station appended meanwhile)
     * @throws UserError              if the server could not be reached: the signed record is kept ({@link #undelivered})
     */
    Appended append(Prepared prepared) {
        touch();
        Appended done;
        try {
            done = prepared.draft().append();
        } catch (StationLedger.Undelivered e) {
            throw keptUndelivered(e);
        }
        recorded();
        return done;
    }

    /** The batch was recorded: cleared, the kept draft removed, the bags recorded still in view until the next scan. */
    private void recorded() {
        List<Scan> taken = List.copyOf(accepted.values());
        clearScans();
        log.addAll(taken);
        past = true;
    }

    private UserError keptUndelivered(StationLedger.Undelivered e) {
        draftFile.keepSigned(e.signed());
        return new UserError("NOT RECORDED YET 尚未记录: the handoff signed by everyone is kept on this station, nothing signed is"
                + " lost (全员已签名的交接已保存在本工作站，不会丢失); type 'h' to send it again when the server answers"
                + " (服务器恢复后输入 h 重新发送). " + e.getMessage() + " (kept in " + draftFile.signedFile() + ")");
    }

    /** A handoff signed by every party that the server has not acknowledged yet, if any: kept on disk, offered again. */
    Optional<SignedRecord> undelivered() {
        return draftFile.loadSigned();
    }

    /**
     * Sends the kept signed handoff again. Stored (or found stored already): the batch is cleared. Refused by the
     * ledger: the kept record is removed (it can never be stored) and the refusal thrown. No answer again: kept.
     */
    Appended deliver() {
        touch();
        SignedRecord signed = undelivered().orElseThrow(() -> new UserError("no signed handoff is waiting to be sent (没有待发送的交接)"));
        Appended done;
        try {
            done = ledger.submit(signed);
        } catch (StationLedger.Undelivered e) {
            throw keptUndelivered(e);
        } catch (AppendRefusedException | UserError e) {
            draftFile.discardSigned();
            throw e;
        }
        draftFile.discardSigned();
        recorded();
        return done;
    }

    /**
     * What a refusal or finding means and what to do, in English and Chinese: the rule's code and its text as the
     * rules define it, the finding's own message, and the officers' next step.
     */
    static List<String> explain(Finding f, ZoneId zone) {
        List<String> lines = new ArrayList<>();
        lines.add(f.code() + "  " + f.code().english() + " / " + f.code().chinese());
        org.custody.audit.ReportWriter.finding(f, zone).lines().skip(1).forEach(l -> lines.add("    " + l.strip()));
        lines.add("    what to do 处理: " + advice(f.code()));
        return lines;
    }

    static String advice(FindingCode code) {
        return switch (code) {
            case R01 -> "at least two people sign: add a witness (至少两人签字：请增加见证人)";
            case R02 -> "distribution needs three staff and a discipline inspector: add them as witnesses (分发须三名以上工作人员及纪检监察人员：请增加见证人)";
            case R03 -> "add a police or armed-police officer among the signers (请增加公安或武警人员签字)";
            case R04 -> "the releasing person is whoever received the bags last: choose them as 'from' (交出人须为上一环节的接收人)";
            case R05 -> "this step does not follow the bags' last step: choose another step or drop the bag (请选择正确的环节或移除该袋)";
            case R07 -> "recount the papers and type the counts again (请重新清点份数)";
            case R08 -> "choose signers who hold the role the step needs and are not recused (请选择具备相应职责且无回避的签字人)";
            case R12 -> "inspect the vault and record it: 'custody incident --type vault_inspection' (请巡查保密室并登记巡查记录)";
            case R16 -> "compare the seal number with the one on record; a broken seal is recorded as broken (请核对封条编号；封条破损须如实记录)";
            case R24 -> "this station's place is not a registered one: start the station with a registered --place (请使用已登记的地点)";
            case I07 -> "another handoff of the bag was recorded meanwhile: scan the bags again (试卷袋已有新记录：请重新扫描)";
            default -> "correct the handoff, or record what happened as an incident with 'custody incident' (请更正交接信息，或登记异常情况)";
        };
    }

    @Override
    public void close() {
        signOutAll();
        draftFile.release();
        ledger.close();
    }

    /** Makes a receipt after each handoff this station appends (docs/cli.md, 'custody station': receipts). */
    void receipts(StationReceipts receipts) {
        this.receipts = receipts;
    }

    /** The receipt of {@code done}, just appended: where it went or why not, or null if the station makes none. */
    String receipt(Appended done) {
        if (receipts == null || !receipts.enabled()) {
            return null;
        }
        if (!(ledger instanceof LocalStationLedger local)) {
            throw new IllegalStateException("receipts are made from a local ledger file only");
        }
        return receipts.after(local.ledger(), done);
    }
}
