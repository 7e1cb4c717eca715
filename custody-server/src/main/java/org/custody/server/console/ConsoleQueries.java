package org.custody.server.console;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.RefusedException;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.SignedNote;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Head;
import org.custody.ledger.KeyDirectory;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.Stage;
import org.custody.record.Attachment;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.rules.BagPosition;

/**
 * Every question the inspector console asks of one ledger, and the answers its pages and its JSON routes both show:
 * the exam-day board, search, a bag's story. Each answer is limited to what a {@link Scope} may read (an officer's
 * token reads its own sites' bags only). The checks themselves are the core's: positions and contents from the
 * custody rules' state, lateness from the timed rules ({@link Ledger#overdue}), findings as the ledger kept them,
 * labels checked by {@link Ledger#scanned}. Times are shown in the exam's zone (its policy's).
 */
public final class ConsoleQueries {
    /** The longest search text taken: a label payload or an id is far shorter. */
    public static final int MAX_QUERY_CHARS = 256;
    /** How many recent entries the board lists. */
    static final int RECENT = 8;
    /** How many entries back the board looks for recent ones a scoped token may read. */
    static final int RECENT_LOOKBACK = 200;
    /** The most matches a search lists. */
    static final int MAX_MATCHES = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

    private final Ledger ledger;
    private final Clock clock;

    public ConsoleQueries(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * What a caller may read: everything (inspectors, admins), or the bags {@code mayRead} admits (an officer's sites).
     * A finding, entry or count is shown only if every bag it names may be read; one naming no bag only to
     * {@code everything}.
     */
    public record Scope(String name, boolean everything, Predicate<Bag> mayRead, Predicate<String> mayReadSite) {
        public static Scope all(String name) {
            return new Scope(name, true, b -> true, s -> true);
        }
    }

    // ---- the board ----

    /** One site and session's bags, counted by the stage of their last handoff ({@code registered}: none yet). */
    public record SiteSession(String exam, String site, String session, Map<String, Integer> byStage, int total) {}

    /** A late bag (or vault): a timed rule's finding as of now. */
    public record Late(String code, String title, List<String> bags, String message, String expected, String actual,
                       long seq) {}

    /** How many kept findings bear a code. */
    public record CodeCount(String code, String english, String chinese, String severity, int count) {}

    /** A signature line of a checkpoint: the ledger's, or an inspector's cosignature. */
    public record Signer(String name, String keyId) {}

    /** The latest checkpoint: its size and root line, and who signed and cosigned it. */
    public record CheckpointView(long size, String root, List<Signer> signers) {}

    /** An entry in a list: what it was, when it claims and when it was recorded, and the bags it names. */
    public record EntryLine(long seq, String type, String step, String stepChinese, String at, String appended,
                            List<String> bags) {}

    /** The exam-day board of one ledger. */
    public record Board(String ledger, long size, String head, String asOf, List<String> stages,
                        List<String> stagesChinese, List<SiteSession> rows, List<Late> late, List<CodeCount> findings,
                        CheckpointView checkpoint, List<EntryLine> recent) {}

    /**
     * The exam-day board: per exam, site and session the bags at each stage, what is late now (by the server's
     * clock), the kept findings by code, the latest checkpoint and the most recent entries, as {@code scope} may see.
     */
    public Board board(Scope scope) {
        Head head = ledger.head();
        Instant now = clock.instant();
        List<String> stages = new ArrayList<>();
        List<String> stagesChinese = new ArrayList<>();
        stages.add("registered");
        stagesChinese.add("已登记");
        for (Stage s : Stage.values()) {
            stages.add(s.wire());
            stagesChinese.add(s.chinese());
        }
        // one grouped count over the store's bag index (formats.md §7.3), not a pass over the bags
        List<org.custody.store.BagCount> groups = ledger.bagCounts(org.custody.store.BagQuery.ALL, BOARD_GROUPS);
        Map<List<String>, SiteSessionCounter> rows = new LinkedHashMap<>();
        for (org.custody.store.BagCount g : groups) {
            String exam = g.values().get(0);
            String site = g.values().get(1);
            String session = g.values().get(2);
            if (!scope.mayReadSite().test(site)
                    || org.custody.model.Labelled.fromWire(org.custody.model.BagKind.class, g.values().get(3)).isContainer()) {
                continue;
            }
            rows.computeIfAbsent(java.util.Arrays.asList(exam, site, session), k -> new SiteSessionCounter(exam, site, session,
                    stages)).add(g.values().get(4), g.bags());
        }
        List<Late> late = new ArrayList<>();
        for (Finding f : ledger.overdue(now)) {
            if (visible(scope, f)) {
                late.add(late(f));
            }
        }
        List<CodeCount> byCode = findingCounts(scope).entrySet().stream().map(e -> new CodeCount(e.getKey().name(),
                e.getKey().english(), e.getKey().chinese(), e.getKey().severity().name().toLowerCase(Locale.ROOT),
                e.getValue().intValue())).toList();
        return new Board(ledger.id().value(), head.size(), head.hash() == null ? "" : head.hash().hex(),
                format(now, Policy.ZONE), stages, stagesChinese,
                rows.values().stream().map(SiteSessionCounter::row).toList(), late, byCode, checkpoint().orElse(null),
                recent(scope, head));
    }

    /** The board's grouping of the bag index: per exam, site and session, the bags of each kind at each stage. */
    private static final List<String> BOARD_GROUPS = List.of("exam", "site", "session", "kind", "stage");

    /**
     * The kept findings by code {@code scope} may see: all of them, or those kept only under bags of the sites it may read
     * (of the sites the bag index names).
     */
    private Map<FindingCode, Long> findingCounts(Scope scope) {
        if (scope.everything()) {
            return ledger.findingCounts(null);
        }
        Set<String> sites = new java.util.HashSet<>();
        ledger.bagCounts(org.custody.store.BagQuery.ALL, List.of("site")).forEach(g -> sites.add(g.values().get(0)));
        sites.removeIf(site -> !scope.mayReadSite().test(site));
        return ledger.findingCounts(sites);
    }

    private static final class SiteSessionCounter {
        final String exam;
        final String site;
        final String session;
        final Map<String, Integer> byStage = new LinkedHashMap<>();
        int total;

        SiteSessionCounter(String exam, String site, String session, List<String> stages) {
            this.exam = exam;
            this.site = site;
            this.session = session;
            stages.forEach(s -> byStage.put(s, 0));
        }

        void add(String stage, long bags) {
            byStage.merge(stage, (int) bags, Integer::sum);
            total += (int) bags;
        }

        SiteSession row() {
            return new SiteSession(exam, nz(site), nz(session),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byStage)), total);
        }
    }

    /** The latest checkpoint and who signed it, if one was made. */
    public Optional<CheckpointView> checkpoint() {
        return ledger.latestCheckpoint().map(ConsoleQueries::checkpointView);
    }

    private static CheckpointView checkpointView(SignedNote note) {
        Checkpoint cp = Checkpoint.parse(note.text());
        return new CheckpointView(cp.size(), cp.root().hex(),
                note.signatures().stream().map(s -> new Signer(s.name(), s.keyId())).toList());
    }

    private List<EntryLine> recent(Scope scope, Head head) {
        List<EntryLine> out = new ArrayList<>();
        for (long seq = head.size() - 1; seq >= 0 && seq >= head.size() - RECENT_LOOKBACK && out.size() < RECENT; seq--) {
            Optional<Entry> e = ledger.entry(seq);
            if (e.isPresent() && visible(scope, e.get().record())) {
                out.add(line(e.get()));
            }
        }
        return out;
    }

    private EntryLine line(Entry e) {
        Record r = e.record();
        ZoneId zone = zoneOf(r);
        String step = r instanceof Handoff h ? h.step().wire() : r instanceof Incident i ? i.incident().wire() : "";
        String stepChinese = r instanceof Handoff h ? h.step().chinese() : r instanceof Incident i ? i.incident().chinese() : "";
        return new EntryLine(e.seq(), r.type(), step, stepChinese, format(r.at(), zone),
                e.appended().map(t -> format(t, zone)).orElse(""), r.moves().stream().map(m -> m.bag().value()).toList());
    }

    // ---- search ----

    /**
     * A search's answer: the bag a label or id names ({@code bag}, else {@code null}), or the bags, people and seal
     * numbers that match (page {@code page}, {@code more} if a next page has more); or why not ({@code problem}).
     */
    public record SearchResult(String query, int page, String bag, List<BagLine> bags, List<PersonLine> people,
                               boolean more, String problem) {}

    /** A bag in a list: what it is and where it stands now. */
    public record BagLine(String id, String kind, String kindChinese, String exam, String site, String room,
                          String session, String subject, String stage, String stageChinese, String holder) {}

    /** A person who matched: their roles and site, and the bags they hold now that the caller may read. */
    public record PersonLine(String id, String name, List<String> roles, String site, List<String> holds) {}

    /**
     * Searches for {@code text}: a scanned label payload ({@code CUSTODY1/...}, checked against the bag's seal entry:
     * a forged or stale label is refused with I10), a bag id, a room, site or session, a person's id or name, or a
     * seal number. Refuses text longer than {@link #MAX_QUERY_CHARS} or with control characters.
     */
    public SearchResult search(Scope scope, String text, int page) {
        if (page < 1) {
            throw new IllegalArgumentException("page " + page + " is not 1 or more");
        }
        String q = text == null ? "" : text.strip();
        if (q.isEmpty()) {
            return new SearchResult("", page, null, List.of(), List.of(), false, null);
        }
        if (q.length() > MAX_QUERY_CHARS || q.chars().anyMatch(Character::isISOControl)) {
            return problem(q.length() > MAX_QUERY_CHARS ? q.substring(0, MAX_QUERY_CHARS) : q,
                    "查询内容过长或含控制字符（最多 " + MAX_QUERY_CHARS + " 个字符） / the search text is longer than "
                            + MAX_QUERY_CHARS + " characters or holds control characters");
        }
        if (q.startsWith(org.custody.label.Label.PREFIX)) {
            try {
                BagId named = org.custody.label.Label.parse(q).bag();
                if (readable(scope, named).isEmpty()) { // say nothing of a bag the scope may not read, not even its label
                    return problem(q, "没有此袋 / no such bag: " + named.value());
                }
                BagId id = ledger.scanned(q);
                return ledger.position(id).filter(p -> scope.mayRead().test(p.bag())).map(p -> found(q, p))
                        .orElseGet(() -> problem(q, "没有此袋 / no such bag: " + id.value()));
            } catch (RefusedException e) {
                return problem(q, "标签与封装记录不符，请勿接收此袋 / " + e.getMessage());
            } catch (MalformedInputException | IllegalArgumentException e) {
                return problem(q, "无法读取标签 / the label cannot be read: " + e.getMessage());
            }
        }
        Optional<BagPosition> exact = bagId(q).flatMap(ledger::position).filter(p -> scope.mayRead().test(p.bag()));
        if (exact.isPresent()) {
            return found(q, exact.get());
        }
        // the bags of a room, site or session, and those whose id begins with the text: from the store's bag index
        // (formats.md §7.3), merged in order of id, a page at a time
        List<BagPosition> matches = matching(scope, q, (long) (page - 1) * MAX_MATCHES, MAX_MATCHES + 1);
        boolean more = matches.size() > MAX_MATCHES;
        List<BagLine> bags = new ArrayList<>();
        matches.stream().limit(MAX_MATCHES).forEach(p -> bags.add(bagLine(p.bag(), p)));
        List<PersonLine> people = new ArrayList<>();
        for (Person p : ledger.people().values()) {
            if (page == 1 && people.size() < MAX_MATCHES && (p.id().value().equalsIgnoreCase(q) || p.name().contains(q))) {
                // the bags the person holds now, from the bag index (formats.md §7.3), in order of id
                List<String> holds = ledger.bags(new org.custody.store.BagQuery(null, null, null, null, null, null, null, null,
                                p.id().value()), null, org.custody.ledger.Page.MAX_LIMIT).items().stream()
                        .filter(pos -> scope.mayRead().test(pos.bag()))
                        .map(pos -> pos.id().value()).limit(MAX_MATCHES).toList();
                people.add(new PersonLine(p.id().value(), p.name(), p.roles().stream().map(r -> r.chinese() + " " + r.wire())
                        .sorted().toList(), nz(p.site()), holds));
            }
        }
        if (bags.isEmpty() && people.isEmpty() && page == 1) {
            bags.addAll(sealed(scope, q));
        }
        if (bags.size() == 1 && people.isEmpty() && page == 1) {
            return new SearchResult(q, page, bags.get(0).id(), bags, people, false, null);
        }
        return new SearchResult(q, page, null, bags, people, more, bags.isEmpty() && people.isEmpty() && page == 1
                ? "没有找到 / nothing found for the search text" : null);
    }

    /** How many bag ids a search reads from the index at a time while it skips to its page. */
    private static final int ID_BATCH = 1000;

    /**
     * The bags {@code scope} may read in the room, site or session {@code q}, or whose id begins with {@code q} (as typed,
     * or in capitals), in order of id: {@code limit} of them after the first {@code skip}. Ids are read from the store's
     * bag index, merged; only the bags returned are read whole.
     */
    private List<BagPosition> matching(Scope scope, String q, long skip, int limit) {
        List<java.util.Iterator<BagId>> sources = new ArrayList<>();
        for (org.custody.store.BagQuery query : List.of(
                new org.custody.store.BagQuery(null, null, null, q, null, null, null, null, null),
                new org.custody.store.BagQuery(null, null, q, null, null, null, null, null, null),
                new org.custody.store.BagQuery(null, null, null, null, q, null, null, null, null))) {
            sources.add(ids(query, null, id -> true, skip + limit));
        }
        for (String prefix : new LinkedHashSet<>(List.of(q, q.toUpperCase(Locale.ROOT)))) {
            bagId(prefix).ifPresent(start -> sources.add(ids(org.custody.store.BagQuery.ALL, start.value(),
                    id -> id.value().startsWith(prefix), skip + limit)));
        }
        java.util.PriorityQueue<Map.Entry<BagId, java.util.Iterator<BagId>>> heads =
                new java.util.PriorityQueue<>(Map.Entry.comparingByKey(Comparator.comparing(BagId::value)));
        for (java.util.Iterator<BagId> source : sources) {
            if (source.hasNext()) {
                heads.add(Map.entry(source.next(), source));
            }
        }
        List<BagPosition> out = new ArrayList<>();
        BagId last = null;
        long skipped = 0;
        while (!heads.isEmpty() && out.size() < limit) {
            Map.Entry<BagId, java.util.Iterator<BagId>> head = heads.poll();
            if (head.getValue().hasNext()) {
                heads.add(Map.entry(head.getValue().next(), head.getValue()));
            }
            BagId id = head.getKey();
            if (id.equals(last)) {
                continue;
            }
            last = id;
            if (scope.everything() && skipped < skip) {
                skipped++; // every bag may be read: skip it without reading its row
                continue;
            }
            Optional<BagPosition> p = ledger.position(id).filter(pos -> scope.mayRead().test(pos.bag()));
            if (p.isEmpty()) {
                continue;
            }
            if (skipped < skip) {
                skipped++;
            } else {
                out.add(p.get());
            }
        }
        return out;
    }

    /**
     * The ids {@code query} matches after {@code after}, in order, while {@code take} holds: read a batch at a time, the
     * first of about {@code wanted} ids (what the page needs), later ones of {@link #ID_BATCH}.
     */
    private java.util.Iterator<BagId> ids(org.custody.store.BagQuery query, String after, Predicate<BagId> take, long wanted) {
        return new java.util.Iterator<>() {
            private final java.util.ArrayDeque<BagId> batch = new java.util.ArrayDeque<>();
            private String cursor = after;
            private boolean done;
            private int size = (int) Math.min(ID_BATCH, wanted + 1);

            @Override
            public boolean hasNext() {
                if (batch.isEmpty() && !done) {
                    org.custody.ledger.Page<BagId> page = ledger.bagIds(query, cursor, size);
                    size = ID_BATCH;
                    page.items().stream().takeWhile(take).forEach(batch::add);
                    done = page.next().isEmpty() || batch.size() < page.items().size();
                    cursor = page.next().orElse(null);
                }
                return !batch.isEmpty();
            }

            @Override
            public BagId next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return batch.poll();
            }
        };
    }

    /** The most entries of one seal number a search reads: a seal is recorded on one bag, at each of its few steps. */
    static final int MAX_SEAL_ENTRIES = 200;

    /**
     * The bags (at most {@link #MAX_MATCHES}) whose handoffs or incidents recorded seal number {@code seal}, from the entry
     * index: of its first {@link #MAX_SEAL_ENTRIES} entries.
     */
    private List<BagLine> sealed(Scope scope, String seal) {
        Set<BagId> found = new LinkedHashSet<>();
        String after = null;
        int read = 0;
        do {
            org.custody.ledger.Page<Entry> page = ledger.entriesWithSeal(seal, after, MAX_SEAL_ENTRIES / 4);
            for (Entry e : page.items()) {
                e.record().moves().stream().filter(m -> seal.equals(m.seal())).forEach(m -> found.add(m.bag()));
            }
            read += page.items().size();
            after = page.next().orElse(null);
        } while (after != null && found.size() < MAX_MATCHES && read < MAX_SEAL_ENTRIES);
        List<BagLine> out = new ArrayList<>();
        for (BagId id : found) {
            ledger.position(id).filter(p -> scope.mayRead().test(p.bag())).filter(p -> out.size() < MAX_MATCHES)
                    .ifPresent(p -> out.add(bagLine(p.bag(), p)));
        }
        return out;
    }

    private SearchResult found(String q, BagPosition p) {
        return new SearchResult(q, 1, p.id().value(), List.of(bagLine(p.bag(), p)), List.of(), false, null);
    }

    private static SearchResult problem(String q, String message) {
        return new SearchResult(q, 1, null, List.of(), List.of(), false, message);
    }

    private BagLine bagLine(Bag b, BagPosition p) {
        String stage = p == null || p.step() == null ? "registered" : p.step().wire();
        String stageChinese = p == null || p.step() == null ? "已登记" : p.step().chinese();
        return new BagLine(b.id().value(), b.kind().wire(), b.kind().chinese(), b.exam(), nz(b.site()), nz(b.room()),
                nz(b.session()), nz(b.subject()), stage, stageChinese,
                p == null || p.holder() == null ? "" : name(p.holder()));
    }

    // ---- a bag's story ----

    /** What one handoff or incident did to the bag: counts, seal, container. */
    public record Move(String count, String attendance, String seal, String sealState, String inside) {}

    /** Who signed an entry, with which key. */
    public record Signed(String person, String keyId) {}

    /** One step of a bag's story. */
    public record StoryEntry(long seq, String hash, String type, String step, String stepChinese, String at,
                             String appended, String from, String to, List<String> witnesses, String place,
                             Move move, List<Signed> signatures, String note, List<String> otherBags, List<String> attachments) {}

    /** A finding that names the bag (or its entries), as the ledger kept it. */
    public record StoryFinding(String code, String english, String chinese, String severity, long seq,
                               String message, String expected, String actual) {}

    /** A bag's story: what it is, where it is now, its box and contents, its timeline and its findings. */
    public record Story(BagLine bag, String container, List<String> contents, List<StoryEntry> timeline,
                        List<StoryFinding> findings, boolean findingsKept, List<Late> late,
                        CheckpointView checkpoint) {}

    /** The story of {@code id}, if it is registered and {@code scope} may read it (else empty: nothing is said of it). */
    public Optional<Story> story(Scope scope, BagId id) {
        Optional<Bag> bag = readable(scope, id);
        if (bag.isEmpty()) {
            return Optional.empty();
        }
        Bag b = bag.get();
        BagPosition position = ledger.position(id).orElse(null);
        ZoneId zone = ledger.policy(b.exam()).zone();
        KeyDirectory directory = ledger.refreshDirectory(); // people enrolled by another writer too
        List<StoryEntry> timeline = new ArrayList<>();
        for (Entry e : ledger.history(id)) {
            timeline.add(storyEntry(e, id, zone, directory, scope));
        }
        Optional<List<Finding>> kept = ledger.findings(id);
        List<StoryFinding> findings = kept.orElse(List.of()).stream().filter(f -> visible(scope, f))
                .map(f -> new StoryFinding(f.code().name(), f.code().english(), f.code().chinese(),
                        f.code().severity().name().toLowerCase(Locale.ROOT), f.seq(), message(f), nz(f.expected()),
                        nz(f.actual())))
                .toList();
        List<Late> late = ledger.overdue(clock.instant()).stream().filter(f -> f.bags().contains(id))
                .map(ConsoleQueries::late).toList();
        List<String> contents = ledger.contents(id).stream().filter(x -> readable(scope, x).isPresent())
                .map(BagId::value).toList();
        return Optional.of(new Story(bagLine(b, position),
                position == null || position.container() == null ? null : position.container().value(), contents, timeline,
                findings, kept.isPresent(), late, checkpoint().orElse(null)));
    }

    private StoryEntry storyEntry(Entry e, BagId id, ZoneId zone, KeyDirectory directory, Scope scope) {
        Record r = e.record();
        Move move = r.moves().stream().filter(m -> m.bag().equals(id)).findFirst().map(m -> new Move(
                m.count() == null ? "" : m.count().toString(),
                m.present() == null ? "" : m.present() + " / " + (m.absent() == null ? 0 : m.absent()),
                nz(m.seal()), m.sealState() == null ? "" : m.sealState().chinese() + " " + m.sealState().wire(),
                m.container() == null ? "" : m.container().value())).orElse(new Move("", "", "", "", ""));
        String from = "";
        String to = "";
        List<String> witnesses = List.of();
        String place = "";
        String note = "";
        String step = "";
        String stepChinese = "";
        if (r instanceof Handoff h) {
            step = h.step().wire();
            stepChinese = h.step().chinese();
            from = h.from() == null ? "" : name(h.from());
            to = h.to() == null ? "" : name(h.to());
            witnesses = h.witnesses().stream().map(this::name).toList();
            place = h.place() == null ? "" : h.place().name() + " (" + h.place().id() + ")";
            note = nz(h.note());
        } else if (r instanceof Incident i) {
            step = i.incident().wire();
            stepChinese = i.incident().chinese();
            witnesses = i.by().stream().map(this::name).toList();
            place = i.place() == null ? "" : i.place().name() + " (" + i.place().id() + ")";
            note = nz(i.note());
        }
        List<String> attachments = r.attachments().stream().map(Attachment::describe).toList();
        List<Signed> signatures = e.signatures().stream().map(s -> new Signed(directory.key(s.key())
                .map(k -> name(k.person())).orElse("?"), s.key().hex())).toList();
        List<String> others = r.moves().stream().map(BagMove::bag).filter(b -> !b.equals(id))
                .filter(b -> readable(scope, b).isPresent()).map(BagId::value).toList();
        return new StoryEntry(e.seq(), e.hash(ledger.suite().hash()).hex(), r.type(), step, stepChinese, format(r.at(), zone),
                e.appended().map(t -> format(t, zone)).orElse(""), from, to, witnesses, place, move, signatures, note, others,
                attachments);
    }

    // ---- findings ----

    /** A filter of the findings page; {@code null} or blank fields do not filter. Times are local dates in the exam's zone. */
    public record FindingFilter(String code, String severity, String site, String person, String from, String to) {
        public FindingFilter {
            code = blankToNull(code);
            severity = blankToNull(severity);
            site = blankToNull(site);
            person = blankToNull(person);
            from = blankToNull(from);
            to = blankToNull(to);
            for (String f : new String[] {code, severity, site, person, from, to}) {
                if (f != null && (f.length() > 64 || f.chars().anyMatch(Character::isISOControl))) {
                    throw new MalformedInputException("筛选条件过长或含控制字符 / a filter is longer than 64 characters or"
                            + " holds control characters");
                }
            }
        }
    }

    /** A finding in the findings list, with the bags and people it names. */
    public record FindingLine(String code, String english, String chinese, String severity, long seq, String at,
                              List<String> bags, List<String> people, String message, String expected, String actual) {}

    /**
     * A code's rule text as the command line and the report give it ({@link FindingCode}'s English and Chinese), its
     * severity, the regulation it comes from (docs/rules.md's source column) and how many kept findings the caller may
     * see bear it.
     */
    public record RuleText(String code, String chinese, String english, String severity, String source, long count) {}

    /**
     * The findings page: those of the kept findings (of the filter's code, else of any) that pass the rest of the filter,
     * oldest first, read a page at a time from the kept findings by code (formats.md §7.3): at most
     * {@link #MAX_FINDINGS} shown, at most {@link #MAX_SCAN} read per request; {@code next} is the cursor to read on
     * from ({@code null} at the end). {@code total}: how many kept findings of the code (or of any) the caller may see,
     * before the other filters; {@code rules}: the rule text of each code it may see.
     */
    public record Findings(FindingFilter filter, List<FindingLine> findings, long total, String next, List<String> codes,
                           List<RuleText> rules) {}

    /** The most findings one page lists. */
    public static final int MAX_FINDINGS = 200;
    /** The most kept findings one request reads while filtering. */
    static final int MAX_SCAN = 5000;

    /**
     * The findings the ledger kept with its entries (R codes, docs/formats.md §7.2) that {@code scope} may see and that
     * pass {@code filter}, oldest first, from the cursor {@code after} ({@code null}: the first); each names its entry, so
     * the page links to the bag's story at it.
     *
     * @throws MalformedInputException if the filter's code is not a rule code, a date is not {@code yyyy-MM-dd}, or the
     *                                  cursor is not one a page gave
     */
    public Findings findings(Scope scope, FindingFilter filter, String after) {
        java.time.LocalDate from = date(filter.from());
        java.time.LocalDate to = date(filter.to());
        FindingCode code = null;
        if (filter.code() != null) {
            try {
                code = FindingCode.valueOf(filter.code().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MalformedInputException("不是规则代码 / not a finding code: '" + filter.code() + "' (R01-R"
                        + FindingCode.values()[FindingCode.values().length - 1].name().substring(1) + ", docs/rules.md)");
            }
        }
        if (after != null && (after.length() > 40 || !after.matches("-?[0-9]+:-?[0-9]+"))) {
            throw new MalformedInputException("分页位置无效 / not a cursor of findings: '" + after + "'");
        }
        Map<FindingCode, Long> counts = findingCounts(scope);
        Map<String, Optional<Bag>> bags = new java.util.HashMap<>();
        java.util.function.Function<BagId, Optional<Bag>> bagOf = id -> bags.computeIfAbsent(id.value(), k -> registered(id));
        Map<PersonId, Person> people = ledger.people();
        List<FindingLine> out = new ArrayList<>();
        int scanned = 0;
        String cursor = after;
        do {
            org.custody.ledger.Page<Finding> page = ledger.findings(code, cursor, Math.min(500, MAX_FINDINGS - out.size()));
            for (Finding f : page.items()) {
                if (!scope.everything() && (f.bags().isEmpty()
                        || !f.bags().stream().allMatch(id -> bagOf.apply(id).filter(scope.mayRead()).isPresent()))) {
                    continue;
                }
                Optional<Bag> first = f.bags().isEmpty() ? Optional.empty() : bagOf.apply(f.bags().get(0));
                ZoneId zone = first.map(b -> ledger.policy(b.exam()).zone()).orElse(Policy.ZONE);
                java.time.LocalDate day = f.at() == null ? null : java.time.LocalDate.ofInstant(f.at(), zone);
                boolean pass = (filter.severity() == null || f.code().severity().name().equalsIgnoreCase(filter.severity()))
                        && (filter.site() == null || f.bags().stream().map(bagOf)
                                .anyMatch(b -> b.isPresent() && filter.site().equals(b.get().site())))
                        && (filter.person() == null || f.people().stream().anyMatch(p -> p.value().equalsIgnoreCase(filter.person())
                                || Optional.ofNullable(people.get(p)).map(Person::name).orElse("").contains(filter.person())))
                        && (from == null || (day != null && !day.isBefore(from)))
                        && (to == null || (day != null && !day.isAfter(to)));
                if (pass) {
                    out.add(findingLine(f, zone));
                }
            }
            scanned += page.items().size();
            cursor = page.next().orElse(null);
        } while (cursor != null && out.size() < MAX_FINDINGS && scanned < MAX_SCAN);
        List<RuleText> rules = counts.entrySet().stream().map(e -> ruleText(e.getKey(), e.getValue())).toList();
        return new Findings(filter, out, code == null ? counts.values().stream().mapToLong(Long::longValue).sum()
                : counts.getOrDefault(code, 0L), cursor, counts.keySet().stream().map(FindingCode::name).toList(), rules);
    }

    /** The rule text of {@code code}, from the same source as the command line's and the report's. */
    static RuleText ruleText(FindingCode code, long count) {
        return new RuleText(code.name(), code.chinese(), code.english(), code.severity().name().toLowerCase(Locale.ROOT),
                org.custody.rules.RuleEngine.source(code).orElse(""), count);
    }

    private static java.time.LocalDate date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new MalformedInputException("日期须为 yyyy-MM-dd / a date must be yyyy-MM-dd, not '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- reconciliation ----

    /** One count on the way, and the entry that recorded it (or {@code -1}: not recorded yet). */
    public record Count(Integer copies, long seq, String bag) {}

    /**
     * One room and subject: the copies printed, sealed and found at opening (its question-paper bags), the answer
     * sheets collected (and present plus absent), and those checked out to grading and back; {@code differs} when
     * recorded counts disagree.
     */
    public record RoomLine(String exam, String site, String room, String session, String subject, Count printed,
                           Count sealed, Count opened, Count collected, Integer attendance, Count gradedOut,
                           Count gradedBack, boolean differs) {}

    /** Reconciliation of every room and subject the scope may see. */
    public record Reconciliation(List<RoomLine> rooms, int differing) {}

    /**
     * Per room and subject: printed = sealed = opened = collected = graded, from the counts the handoffs recorded (the
     * last recorded at each step). The judgment stays R07's (its findings are on the findings page); this lays the
     * numbers side by side. One pass over the bag index and the bags' rows of the rules' state (formats.md §7.1, 7.3),
     * which keep those counts: a cost in the number of bags, not of entries.
     */
    public Reconciliation reconciliation(Scope scope) {
        Map<String, Map<String, Count>> byRoom = new TreeMap<>();
        Map<String, Bag> first = new LinkedHashMap<>();
        Map<String, Integer> attendance = new LinkedHashMap<>();
        for (org.custody.rules.BagCounts recorded : bagsWithRooms()) {
            Bag b = recorded.bag();
            if (b.kind().isContainer() || !scope.mayRead().test(b)) {
                continue;
            }
            String key = String.join("\u0000", b.exam(), nz(b.site()), b.room(), nz(b.session()), nz(b.subject()));
            first.putIfAbsent(key, b);
            Map<String, Count> counts = byRoom.computeIfAbsent(key, k -> new LinkedHashMap<>());
            for (Map.Entry<org.custody.model.Step, org.custody.rules.BagCounts.Counted> e : recorded.counts().entrySet()) {
                String step = switch (e.getKey()) {
                    case PRINT -> "printed";
                    case SEAL -> "sealed";
                    case OPEN -> "opened";
                    case COLLECT -> "collected";
                    case GRADING_OUT -> "gradedOut";
                    case GRADING_RETURN -> "gradedBack";
                    default -> null;
                };
                if (step != null) {
                    counts.put(step, new Count(e.getValue().copies(), e.getValue().seq(), b.id().value()));
                }
            }
            if (recorded.attendance() != null) {
                attendance.put(key, recorded.attendance());
            }
        }
        List<RoomLine> rooms = new ArrayList<>();
        int differing = 0;
        Count none = new Count(null, -1, "");
        for (Map.Entry<String, Map<String, Count>> e : byRoom.entrySet()) {
            Map<String, Count> m = e.getValue();
            Bag b = first.get(e.getKey());
            Integer att = attendance.get(e.getKey());
            Set<Integer> seen = new java.util.HashSet<>();
            m.values().forEach(x -> seen.add(x.copies()));
            if (att != null) {
                seen.add(att);
            }
            boolean differs = seen.size() > 1;
            if (differs) {
                differing++;
            }
            rooms.add(new RoomLine(b.exam(), nz(b.site()), b.room(), nz(b.session()), nz(b.subject()),
                    m.getOrDefault("printed", none), m.getOrDefault("sealed", none), m.getOrDefault("opened", none),
                    m.getOrDefault("collected", none), att, m.getOrDefault("gradedOut", none),
                    m.getOrDefault("gradedBack", none), differs));
        }
        return new Reconciliation(rooms, differing);
    }

    /**
     * The counts of every registered bag of a room (what reconciliation lists), in order of id: the ids a page at a time
     * from the bag index, each bag's counts (and registration) from its row of the rules' state.
     */
    private List<org.custody.rules.BagCounts> bagsWithRooms() {
        List<org.custody.rules.BagCounts> out = new ArrayList<>();
        String after = null;
        do {
            org.custody.ledger.Page<BagId> page = ledger.bagIds(org.custody.store.BagQuery.ALL, after,
                    org.custody.ledger.Page.MAX_LIMIT);
            for (BagId id : page.items()) {
                org.custody.rules.BagCounts counts = ledger.counts(id).orElseThrow(() -> new org.custody.ledger.LedgerStoreException(
                        "the bag index names " + id + ", which the rules' state does not hold; run a verification"));
                if (counts.bag().room() != null) {
                    out.add(counts);
                }
            }
            after = page.next().orElse(null);
        } while (after != null);
        return out;
    }

    // ---- integrity ----

    /** The ledger's head and latest checkpoint with its cosignatures. */
    public record Integrity(String ledger, String origin, long size, String head, CheckpointView checkpoint) {}

    public Integrity integrity() {
        Head head = ledger.head();
        return new Integrity(ledger.id().value(), ledger.origin(), head.size(), head.hash() == null ? "" : head.hash().hex(),
                checkpoint().orElse(null));
    }

    /** A verification's outcome: how far it reached, whether it is intact, its findings by code and the first ones. */
    public record Verification(String kind, long entries, String head, boolean intact, long signaturesFrom,
                               Map<String, Long> counts, List<FindingLine> first, String problem) {}

    /** The most findings a verification lists. */
    static final int MAX_VERIFICATION_FINDINGS = 50;

    /** Verifies the whole ledger file ({@link Ledger#verify}): every entry, signature, link, proof and rule. */
    public Verification verify() {
        return verification("full", ledger.verify());
    }

    /**
     * Verifies the ledger against a checkpoint an inspector kept ({@code text}: the signed note, or its text alone):
     * the ledger must extend it (I09), with everything else a full verification checks. The note's signatures are the
     * keeper's to have checked when they kept it.
     */
    public Verification verifyAgainst(String text) {
        if (text == null || text.isBlank() || text.length() > 16_384) {
            return new Verification("kept", 0, "", false, 0, Map.of(), List.of(),
                    "请粘贴保存的检查点（最多 16384 个字符） / paste the checkpoint you kept (at most 16384 characters)");
        }
        Checkpoint kept;
        try {
            String normal = text.replace("\r\n", "\n").strip() + "\n";
            kept = normal.contains("\n\n") ? Checkpoint.parse(SignedNote.parse(normal.getBytes(java.nio.charset.StandardCharsets.UTF_8)).text())
                    : Checkpoint.parse(normal);
        } catch (RuntimeException e) {
            return new Verification("kept", 0, "", false, 0, Map.of(), List.of(),
                    "无法读取检查点 / the checkpoint cannot be read: " + e.getMessage());
        }
        return verification("kept", org.custody.ledger.verify.LedgerVerifier.verify(ledger.file(),
                org.custody.ledger.verify.LedgerVerifier.Options.defaults(), kept));
    }

    private Verification verification(String kind, org.custody.audit.AuditReport report) {
        Map<String, Long> counts = new TreeMap<>();
        report.counts().forEach((code, n) -> counts.put(code.name(), n));
        List<FindingLine> first = report.findings().stream().limit(MAX_VERIFICATION_FINDINGS)
                .map(f -> findingLine(f, Policy.ZONE)).toList();
        return new Verification(kind, report.entries(), report.head() == null ? "" : report.head().hex(), report.intact(),
                report.signaturesFrom(), counts, first, null);
    }

    // ---- helpers ----

    private static Late late(Finding f) {
        return new Late(f.code().name(), f.code().chinese() + " " + f.code().english(),
                f.bags().stream().map(BagId::value).toList(), f.message(), f.expected(), f.actual(), f.seq());
    }

    private FindingLine findingLine(Finding f, ZoneId zone) {
        return new FindingLine(f.code().name(), f.code().english(), f.code().chinese(),
                f.code().severity().name().toLowerCase(Locale.ROOT), f.seq(), format(f.at(), zone),
                f.bags().stream().map(BagId::value).toList(), f.people().stream().map(this::name).toList(),
                message(f), nz(f.expected()), nz(f.actual()));
    }

    private static String message(Finding f) {
        return f.chinese() == null ? f.message() : f.message() + " / " + f.chinese();
    }

    /** The most search result pages one may ask for. */
    public static final int MAX_PAGE = 1000;

    /**
     * A page number as a request gives it: absent is 1; otherwise a whole number from 1 to {@value #MAX_PAGE}.
     *
     * @throws MalformedInputException for anything else, saying what is allowed
     */
    public static int page(String text) {
        if (text == null || text.isEmpty()) {
            return 1;
        }
        if (text.length() > 4 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9') || Integer.parseInt(text) < 1
                || Integer.parseInt(text) > MAX_PAGE) {
            throw new MalformedInputException("页码须是 1 到 " + MAX_PAGE + " 之间的整数 / the page number must be a whole number"
                    + " from 1 to " + MAX_PAGE);
        }
        return Integer.parseInt(text);
    }

    /** The registered bag {@code id} if {@code scope} may read it. */
    public Optional<Bag> bag(Scope scope, BagId id) {
        return readable(scope, id);
    }

    /** The registered bag {@code id}, from the rules' state (one row), if {@code scope} may read it. */
    private Optional<Bag> readable(Scope scope, BagId id) {
        return registered(id).filter(scope.mayRead());
    }

    private Optional<Bag> registered(BagId id) {
        return ledger.position(id).map(BagPosition::bag);
    }

    private static Optional<BagId> bagId(String text) {
        try {
            return Optional.of(BagId.of(text));
        } catch (MalformedInputException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private boolean visible(Scope scope, Finding f) {
        if (scope.everything()) {
            return true;
        }
        return !f.bags().isEmpty() && f.bags().stream().allMatch(id -> readable(scope, id).isPresent());
    }

    private boolean visible(Scope scope, Record r) {
        if (scope.everything()) {
            return true;
        }
        List<BagMove> moves = r.moves();
        return !moves.isEmpty() && moves.stream().allMatch(m -> readable(scope, m.bag()).isPresent());
    }

    private String name(PersonId id) {
        Person p = ledger.directory().people().get(id);
        return p == null ? id.value() : p.name() + " (" + id.value() + ")";
    }

    private ZoneId zoneOf(Record r) {
        return r.moves().isEmpty() ? Policy.ZONE : registered(r.moves().get(0).bag())
                .map(b -> ledger.policy(b.exam()).zone()).orElse(Policy.ZONE);
    }

    static String format(Instant t, ZoneId zone) {
        return t == null ? "" : TIME.format(t.atZone(zone));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

}
