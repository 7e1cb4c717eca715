package org.custody.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Labelled;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.record.Registration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody history}: a bag's timeline, oldest first, with signatures and findings. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Show a bag's timeline (试卷袋流转记录): who released, received and witnessed it, when, where, what was"
                + " counted and sealed, who signed, and the findings that name it.",
                "On a ledger file the findings are those the ledger recorded when it appended each entry, read in the time"
                        + " the answer takes, whatever the ledger's size; --verify verifies the whole ledger first (integrity,"
                        + " and what is overdue now), as 'custody verify' does. Through a server they come from its verification."})
final class HistoryCommand implements Callable<Integer> {
    /** Identifies the JSON layout; a new version is added, never changed in place. */
    static final String SCHEMA = "custody-bag-history/v1";

    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOrServer where;

    @Parameters(index = "0", paramLabel = "BAG", description = "the bag id, as printed on its label")
    String bag;

    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or json (" + SCHEMA + ")")
    Format format;

    @Option(names = "--findings", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "list the findings naming the bag (default); --no-findings shows the timeline alone")
    boolean withFindings;

    @Option(names = "--verify", description = "verify the whole ledger first and list the findings it reports (integrity"
            + " findings and what is overdue now too); slower on a large ledger")
    boolean verifyFirst;

    @Override
    public Integer call() {
        BagId id = BagId.of(bag);
        List<Entry> entries;
        Map<PersonId, Person> people;
        Map<KeyId, PersonId> keyOwners;
        String ledgerId;
        org.custody.crypto.HashAlgorithm hash;
        List<Finding> all = List.of();
        Basis basis = withFindings ? Basis.VERIFICATION : Basis.NONE;
        LatestCheckpoint checkpoint = null;
        if (where.remote()) {
            RemoteLedger server = new RemoteLedger(where.api());
            List<Finding> kept = null;
            try {
                RemoteLedger.History h = server.history(id);
                entries = h.entries();
                kept = h.findings();
                checkpoint = h.checkpoint();
            } catch (ServerError e) {
                if (e.httpStatus() != 404) {
                    throw e;
                }
                entries = List.of();
            }
            if (entries.isEmpty()) {
                throw new UserError("bag " + id + " is not in ledger " + server.id() + " on " + where.server
                        + "; check the id on the label");
            }
            ServerJson.People p = server.people();
            people = p.people();
            keyOwners = p.keys().stream().collect(Collectors.toMap(EnrolledKey::id, EnrolledKey::person, (a, b) -> a));
            ledgerId = server.id().value();
            hash = server.suite().hash();
            if (withFindings && !verifyFirst && kept != null) {
                all = inLedgerOrder(kept);
                basis = Basis.RECORDED;
            } else if (withFindings) {
                try {
                    all = server.findings();
                } catch (ServerError e) {
                    if (e.httpStatus() != 403) {
                        throw e;
                    }
                    throw new UserError("the findings come from " + Api.V1 + "/findings, which only an inspector's or admin's token"
                            + " may read; add --no-findings to show the bag's history without them");
                }
            }
        } else {
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                entries = l.history(id);
                people = l.people();
                keyOwners = l.keys().stream().collect(Collectors.toMap(EnrolledKey::id, EnrolledKey::person, (a, b) -> a));
                ledgerId = l.id().value();
                hash = l.suite().hash();
                if (withFindings && !verifyFirst) {
                    var kept = l.findings(id);
                    if (kept.isPresent()) {
                        all = inLedgerOrder(kept.get());
                        basis = Basis.RECORDED;
                    }
                }
                checkpoint = l.checkpoint(-1).map(LatestCheckpoint::of).orElse(null);
            }
            if (entries.isEmpty()) {
                throw new UserError("bag " + id + " is not in " + where.ledger + "; check the id on the label ('custody bags list' shows the bags)");
            }
            if (basis == Basis.VERIFICATION) {
                // asked for, or a file that keeps no findings yet (upgraded from schema 3 and not appended to since)
                all = Ledger.verify(where.ledger, LedgerVerifier.Options.defaults(), null).findings();
            }
        }
        Set<Long> seqs = entries.stream().map(Entry::seq).collect(Collectors.toSet());
        List<Finding> findings = all.stream()
                .filter(f -> f.bags().contains(id) || (f.bags().isEmpty() && seqs.contains(f.seq()))).toList();
        Bag registered = entries.get(0).record() instanceof Registration r
                ? r.bags().stream().filter(b -> b.id().equals(id)).findFirst().orElse(null) : null;
        Timeline timeline = new Timeline(ledgerId, id, registered, entries, people, keyOwners, findings, hash, basis, checkpoint);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.json ? timeline.json() : timeline.text(Times.local(where.zone), where.zone));
        out.flush();
        return Exit.OK;
    }

    /** Where a history's findings come from. */
    enum Basis {
        /** Not asked for (--no-findings). */
        NONE,
        /** Those the ledger recorded when it appended each entry (formats.md §7.2): no verification. */
        RECORDED,
        /** A verification of the whole ledger (--verify, a server's, or a file that keeps none). */
        VERIFICATION
    }

    /** Kept findings in ledger order, each entry's by code, as a verification lists them. */
    private static List<Finding> inLedgerOrder(List<Finding> kept) {
        return kept.stream().sorted(java.util.Comparator.comparingLong(Finding::seq).thenComparing(Finding::code)).toList();
    }

    /** The ledger's latest checkpoint: how many entries it covers, and the names of its signature lines. */
    record LatestCheckpoint(long size, List<String> signers) {
        static LatestCheckpoint of(org.custody.checkpoint.SignedNote note) {
            return new LatestCheckpoint(org.custody.checkpoint.Checkpoint.parse(note.text()).size(),
                    note.signatures().stream().map(org.custody.checkpoint.NoteSignature::name).toList());
        }

        @Override
        public String toString() {
            return size + " entries, signature lines of " + String.join(", ", signers)
                    + " (as stored, not checked here; 'custody verify' checks them)";
        }
    }

    /** One bag's entries with everything needed to show them. */
    record Timeline(String ledger, BagId bag, Bag registered, List<Entry> entries, Map<PersonId, Person> people,
                    Map<KeyId, PersonId> keyOwners, List<Finding> findings, org.custody.crypto.HashAlgorithm hash,
                    Basis basis, LatestCheckpoint checkpoint) {
        String text(DateTimeFormatter time, java.time.ZoneId zone) {
            StringBuilder s = new StringBuilder("Bag ").append(bag);
            if (registered != null) {
                Bag b = registered;
                s.append("  ").append(b.kind().wire()).append(' ').append(b.kind().chinese()).append("  exam ").append(b.exam());
                if (b.site() != null) s.append("  ").append(b.site());
                if (b.room() != null) s.append(" room ").append(b.room());
                if (b.session() != null) s.append("  ").append(b.session());
                if (b.subject() != null) s.append(' ').append(b.subject());
                if (b.set() != null) s.append(" set ").append(b.set());
                if (b.copies() != null) s.append("  ").append(b.copies()).append(" copies");
                if (b.secrecy() != null) s.append("  ").append(b.secrecy().chinese());
            }
            s.append('\n');
            for (Entry e : entries) {
                Record r = e.record();
                s.append(time.format(r.at())).append("  #").append(e.seq()).append("  ");
                if (r instanceof Handoff h) {
                    s.append(h.step().wire()).append(' ').append(h.step().chinese()).append("  at ").append(place(h.place())).append('\n');
                    if (h.from() != null) s.append("    from ").append(who(h.from())).append('\n');
                    s.append("    to ").append(who(h.to())).append('\n');
                    h.witnesses().forEach(w -> s.append("    witness ").append(who(w)).append('\n'));
                } else if (r instanceof Incident i) {
                    s.append("incident ").append(i.incident().wire()).append(' ').append(i.incident().chinese());
                    if (i.place() != null) s.append("  at ").append(place(i.place()));
                    s.append('\n');
                    i.by().forEach(p -> s.append("    by ").append(who(p)).append('\n'));
                } else {
                    s.append(r.type()).append(r instanceof Registration ? " 登记" : "").append('\n');
                    r.parties().forEach(p -> s.append("    by ").append(who(p)).append('\n'));
                }
                BagMove m = move(r);
                if (m != null) {
                    String checked = checks(m);
                    if (!checked.isEmpty()) s.append("    ").append(checked).append('\n');
                    if (m.container() != null) s.append("    in ").append(m.container()).append('\n');
                }
                if (r instanceof Handoff h && h.note() != null) s.append("    note ").append(h.note()).append('\n');
                if (r instanceof Incident i) s.append("    note ").append(i.note()).append('\n');
                r.attachments().forEach(a -> s.append("    attached ").append(a.describe()).append('\n'));
                s.append("    signed by ").append(e.signatures().stream().map(this::signer).collect(Collectors.joining(", "))).append('\n');
                for (Finding f : findings) {
                    if (f.seq() == e.seq()) {
                        s.append(org.custody.audit.ReportWriter.finding(f, zone).indent(4));
                    }
                }
            }
            BagStatus status = BagStatus.of(bag, entries);
            s.append("now: ").append(status.describe()).append(status.container() == null ? "" : ", in " + status.container()).append('\n');
            long elsewhere = findings.stream().filter(f -> entries.stream().noneMatch(e -> e.seq() == f.seq())).count();
            for (Finding f : findings) {
                if (entries.stream().noneMatch(e -> e.seq() == f.seq())) {
                    s.append(org.custody.audit.ReportWriter.finding(f, zone));
                }
            }
            s.append(basis == Basis.NONE ? "findings not checked (--no-findings)" : findings.isEmpty() ? "no findings for this bag" : findings.size() + " finding" + (findings.size() == 1 ? "" : "s")
                    + " for this bag" + (elsewhere == 0 ? "" : " (" + elsewhere + " at the end of the ledger)")).append('\n');
            if (basis == Basis.RECORDED) {
                s.append("findings as the ledger recorded them when it appended each entry; the ledger was not verified"
                        + " here ('custody history --verify' or 'custody verify' checks it, and what is overdue now)\n"
                        + "规则发现为各记录追加时所记；此处未校验账本（校验请用 custody history --verify 或 custody verify）\n");
            } else if (basis == Basis.VERIFICATION) {
                s.append("findings from a verification of the whole ledger / 规则发现来自对整本账本的校验\n");
            }
            if (checkpoint != null) {
                s.append("latest checkpoint / 最新检查点: ").append(checkpoint).append('\n');
            }
            return s.toString();
        }

        String json() {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("schema", SCHEMA);
            root.put("ledger", ledger);
            ObjectNode b = root.putObject("bag");
            b.put("id", bag.value());
            if (registered != null) {
                b.put("kind", registered.kind().wire());
                b.put("exam", registered.exam());
                putOpt(b, "site", registered.site());
                putOpt(b, "room", registered.room());
                putOpt(b, "session", registered.session());
                putOpt(b, "subject", registered.subject());
                putOpt(b, "set", registered.set());
                if (registered.copies() != null) b.put("copies", registered.copies());
                if (registered.secrecy() != null) b.put("secrecy", registered.secrecy().wire());
            }
            ArrayNode list = root.putArray("entries");
            for (Entry e : entries) {
                Record r = e.record();
                ObjectNode o = list.addObject();
                o.put("seq", e.seq());
                o.put("hash", e.hash(hash).hex());
                o.put("type", r.type());
                o.put("id", r.id().value());
                o.put("at", r.at().toString());
                if (r instanceof Handoff h) {
                    o.put("step", h.step().wire());
                    o.put("stage", h.step().stage().wire());
                    o.set("place", place(mapper, h.place()));
                    if (h.from() != null) o.set("from", person(mapper, h.from()));
                    o.set("to", person(mapper, h.to()));
                    ArrayNode w = o.putArray("witnesses");
                    h.witnesses().forEach(p -> w.add(person(mapper, p)));
                    putOpt(o, "note", h.note());
                } else {
                    if (r instanceof Incident i) {
                        o.put("incident", i.incident().wire());
                        if (i.place() != null) o.set("place", place(mapper, i.place()));
                        o.put("note", i.note());
                    }
                    ArrayNode by = o.putArray("by");
                    r.parties().forEach(p -> by.add(person(mapper, p)));
                }
                if (!r.attachments().isEmpty()) {
                    ArrayNode attached = o.putArray("attachments");
                    r.attachments().forEach(a -> attached.add(org.custody.record.ModelJson.attachment(a)));
                }
                BagMove m = move(r);
                if (m != null) {
                    ObjectNode mv = o.putObject("move");
                    if (m.count() != null) mv.put("count", m.count());
                    if (m.present() != null) mv.put("present", m.present());
                    if (m.absent() != null) mv.put("absent", m.absent());
                    putOpt(mv, "seal", m.seal());
                    if (m.sealState() != null) mv.put("sealState", m.sealState().wire());
                    if (m.container() != null) mv.put("in", m.container().value());
                    mv.put("prev", m.prev().hex());
                }
                ArrayNode sigs = o.putArray("signatures");
                for (Signature sig : e.signatures()) {
                    ObjectNode so = sigs.addObject();
                    so.put("key", sig.key().hex());
                    PersonId owner = keyOwners.get(sig.key());
                    putOpt(so, "person", owner == null ? null : owner.value());
                }
            }
            BagStatus status = BagStatus.of(bag, entries);
            ObjectNode st = root.putObject("status");
            putOpt(st, "step", status.step() == null ? null : status.step().wire());
            putOpt(st, "holder", status.holder() == null ? null : status.holder().value());
            putOpt(st, "in", status.container() == null ? null : status.container().value());
            root.put("verified", basis == Basis.VERIFICATION);
            root.put("findingsFrom", basis == Basis.NONE ? "none" : basis == Basis.RECORDED ? "recorded" : "verification");
            if (checkpoint != null) {
                ObjectNode c = root.putObject("checkpoint");
                c.put("size", checkpoint.size());
                ArrayNode signers = c.putArray("signers");
                checkpoint.signers().forEach(signers::add);
            }
            ArrayNode fs = root.putArray("findings");
            for (Finding f : findings) {
                ObjectNode fo = fs.addObject();
                fo.put("code", f.code().name());
                fo.put("class", f.code().findingClass().name().toLowerCase(Locale.ROOT));
                fo.put("severity", f.code().severity().name().toLowerCase(Locale.ROOT));
                fo.put("seq", f.seq());
                putOpt(fo, "at", f.at() == null ? null : f.at().toString());
                fo.putObject("message").put("en", f.message()).put("zh", f.chinese() != null ? f.chinese() : f.code().chinese());
                ArrayNode ps = fo.putArray("people");
                f.people().forEach(p -> ps.add(p.value()));
            }
            try {
                return mapper.writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a history built in memory", e);
            }
        }

        private BagMove move(Record r) {
            return r.moves().stream().filter(m -> m.bag().equals(bag)).findFirst().orElse(null);
        }

        private String who(PersonId id) {
            Person p = people.get(id);
            if (p == null) {
                return id + " (not enrolled)";
            }
            return id + " " + p.name() + " (" + p.roles().stream().sorted().map(Labelled::wire).collect(Collectors.joining(", ")) + ")";
        }

        private String signer(Signature s) {
            PersonId owner = keyOwners.get(s.key());
            return (owner == null ? "unknown key" : owner.value()) + " " + s.key().hex().substring(0, 8);
        }

        private ObjectNode person(ObjectMapper mapper, PersonId id) {
            ObjectNode o = mapper.createObjectNode();
            o.put("id", id.value());
            Person p = people.get(id);
            if (p != null) {
                o.put("name", p.name());
                ArrayNode roles = o.putArray("roles");
                p.roles().stream().sorted().forEach(r -> roles.add(r.wire()));
            }
            return o;
        }

        private static ObjectNode place(ObjectMapper mapper, Place place) {
            ObjectNode o = mapper.createObjectNode();
            o.put("id", place.id());
            putOpt(o, "name", place.name());
            return o;
        }

        private static String place(Place p) {
            return p.id() + (p.name() == null ? "" : " " + p.name());
        }

        private static String checks(BagMove m) {
            List<String> parts = new ArrayList<>();
            if (m.count() != null) parts.add("count " + m.count());
            if (m.present() != null) parts.add("present " + m.present());
            if (m.absent() != null) parts.add("absent " + m.absent());
            if (m.seal() != null || m.sealState() != null) {
                parts.add(("seal " + (m.seal() == null ? "" : m.seal() + " ") + (m.sealState() == null ? "" : m.sealState().wire())).strip());
            }
            return String.join("  ", parts);
        }

        private static void putOpt(ObjectNode o, String field, String value) {
            if (value != null) o.put(field, value);
        }
    }
}
