package org.custody.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.label.Label;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Draft;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Labelled;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody handoff}: bags change hands; everyone present signs in turn. */
@Command(name = "handoff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Record a handoff (交接) of bags at one step: who releases, who receives, who witnesses, where, counts and"
                + " the seal check. Each person present then signs in turn at this terminal with their own key file and"
                + " passphrase (no echo).",
                "Bags: --bag, repeatable, or, without --bag, one id per line on standard input (a USB scanner types the"
                        + " label and Enter) until an empty line. With no terminal, signers' passphrases follow as lines,"
                        + " in signing order: from, to, witnesses.",
                "A missing quorum or a custody-rule breach is refused under a strict exam policy (exit 4, nothing stored)"
                        + " and recorded with its finding otherwise (exit 1)."},
        footer = {"", "Steps: print, seal, vault_in, distribute, escort, site_receipt, room_pickup, open, collect, return_escort,"
                + " vault_return, grading_out, grading_return, destroy (docs/rules.md)."})
final class HandoffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOrServer where;

    @Option(names = "--step", required = true, paramLabel = "STEP", description = "the life-cycle step, e.g. vault_in (see below)")
    String step;

    @Option(names = "--from", paramLabel = "PERSON", description = "who releases custody (omit where custody begins or stays: print, open, collect)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "PERSON", description = "who receives custody")
    String to;

    @Option(names = "--witness", paramLabel = "PERSON", description = "a witness present (repeatable)")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--place", required = true, paramLabel = "PLACE-ID", description = "where, e.g. VAULT or K01-01")
    String place;

    @Option(names = "--place-name", paramLabel = "TEXT", description = "the place's name, e.g. 省考试院保密室")
    String placeName;

    @Option(names = "--bag", paramLabel = "BAG", description = "a bag or container handed over (repeatable); none: read from standard input")
    List<String> bags = new ArrayList<>();

    @Option(names = "--into", paramLabel = "BOX", description = "the bags travel in this container after the handoff; it moves with them")
    String into;

    @Option(names = "--count", paramLabel = "N", description = "copies or sheets counted (one bag of papers only)")
    Integer count;

    @Option(names = "--present", paramLabel = "N", description = "candidates present, at collection (one bag only)")
    Integer present;

    @Option(names = "--absent", paramLabel = "N", description = "candidates absent (缺考), at collection (one bag only)")
    Integer absent;

    @Option(names = "--seal", paramLabel = "NUMBER", description = "seal number (封条编号) checked or applied (one bag only)")
    String seal;

    @Option(names = "--seal-state", paramLabel = "STATE", description = "what the seal check found on every bag of papers: intact or broken")
    String sealState;

    @Option(names = "--note", paramLabel = "TEXT", description = "a note for the record")
    String note;

    @Option(names = "--at", paramLabel = "TIME", description = "when it happened (default: now)")
    String at;

    @Option(names = "--id", paramLabel = "RECORD-ID", description = "the record's id (default: random); the same id and content stores once")
    String id;

    @Mixin
    AttachOptions attachOptions;

    @Mixin
    SignerOptions signerOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = Custody.terminal(spec);
        boolean remote = where.remote();
        Step theStep = wire(Step.class, "--step", step);
        SealState seals = sealState == null ? null : wire(SealState.class, "--seal-state", sealState);
        Instant time = Times.parse("--at", at, where.zone);
        Place where0 = Place.of(place, placeName);
        if (remote) {
            RemoteLedger server = new RemoteLedger(where.api());
            Handoff handoff = build(BagBook.of(server), terminal, err, theStep, seals, time, where0)
                    .toBuilder().attachments(attachOptions.read(server.suite().hash(), err)).build();
            return new RemoteSigning(server, terminal, out, err).open(handoff, new Signers(signerOptions, terminal, err), where.zone);
        }
        try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
            Ledger l = lease.ledger();
            java.util.Set<String> sites = new java.util.HashSet<>();
            java.util.Set<String> named = new java.util.HashSet<>(bags.stream().map(String::strip).toList());
            l.bags().stream().filter(b -> named.contains(b.id().value()) && b.site() != null).forEach(b -> sites.add(b.site()));
            Places.require(l, Places.expected(theStep), place, bags.isEmpty() ? null : sites);
            Draft draft = l.draft(build(BagBook.of(l), terminal, err, theStep, seals, time, where0).toBuilder()
                    .attachments(attachOptions.read(l.suite().hash(), err)));
            // the draft's handoff: a sealed box named alone carries the bags packed in it
            Handoff handoff = (Handoff) draft.record();
            Map<PersonId, Person> people = l.people();
            if (terminal.interactive()) {
                err.println(summary(handoff, people));
                err.flush();
            }
            List<Finding> refusals = draft.refusals();
            if (!refusals.isEmpty()) { // refused before anyone is asked for a passphrase
                return refused(refusals, err, where.zone);
            }
            new Signers(signerOptions, terminal, err).sign(draft, people, capacities(handoff), l.suite().signature());
            Appended done;
            try {
                done = draft.append();
            } catch (AppendRefusedException e) {
                return refused(e.findings(), err, where.zone);
            }
            return recorded(out, done.seq(), done.hash().hex(), done.alreadyPresent(), handoff, people, done.findings(), where.zone);
        }
    }

    /** The handoff as given: bags typed, scanned or given with --bag, looked up in {@code book}, each linked to its head. */
    private Handoff build(BagBook book, Terminal terminal, PrintWriter err, Step theStep, SealState seals, Instant time, Place where0) {
        List<BagId> ids = bagIds(terminal, err, book);
        BagId box = into == null ? null : BagId.of(into);
        if (box != null) {
            Bag b = book.bag(box).orElse(null);
            if (b == null || !b.kind().isContainer()) {
                throw new UserError("--into " + box + (b == null ? " is not registered" : " is a " + b.kind().wire() + ", not a container")
                        + "; name a transport box or vault cabinet ('custody bags list')");
            }
            if (!ids.contains(box)) {
                ids.add(box);
            }
        }
        List<BagId> papers = new ArrayList<>();
        for (BagId bag : ids) {
            Bag b = book.bag(bag).orElseThrow(() -> new UserError("bag " + bag + " is not registered in " + book.where()
                    + "; check the label, or register it with 'custody bags import'. Nothing was stored"));
            if (!b.kind().isContainer()) {
                papers.add(bag);
            }
        }
        if ((count != null || present != null || absent != null || seal != null) && papers.size() != 1) {
            throw new UserError("--count, --present, --absent and --seal describe one bag of papers, but this handoff has "
                    + papers.size() + "; record bags with their own counts or seals one handoff at a time");
        }
        List<BagMove> moves = new ArrayList<>();
        for (BagId bag : ids) {
            Hash prev = book.head(bag).orElseThrow(() -> new UserError("bag " + bag + " has no entry in the ledger; register it first"));
            BagMove m = BagMove.of(bag, prev);
            if (papers.contains(bag)) {
                m = new BagMove(bag, prev, count, present, absent, seal, seals, box);
            }
            moves.add(m);
        }
        return Handoff.builder(theStep).id(id == null ? RecordId.random() : RecordId.of(id)).ledger(book.ledger()).at(time)
                .from(from == null ? null : PersonId.of(from)).to(PersonId.of(to)).witnesses(witnesses.stream().map(PersonId::of).toList())
                .place(where0).bags(moves).note(note).build();
    }

    /** Each party's capacity at a handoff, in words for the signer. */
    static Map<PersonId, String> capacities(Handoff handoff) {
        Map<PersonId, String> capacities = new LinkedHashMap<>();
        if (handoff.from() != null) capacities.put(handoff.from(), "releasing 交出");
        capacities.put(handoff.to(), "receiving 接收");
        handoff.witnesses().forEach(w -> capacities.put(w, "witness 见证"));
        return capacities;
    }

    /** Prints a stored handoff (the same for a local ledger and a server); returns 1 if it was stored with rule findings. */
    static int recorded(PrintWriter out, long seq, String hash, boolean alreadyPresent, Handoff handoff, Map<PersonId, Person> people,
                        List<Finding> findings, java.time.ZoneId zone) {
        Step theStep = handoff.step();
        List<BagId> ids = handoff.bags().stream().map(BagMove::bag).toList();
        Function<PersonId, String> name = p -> p + Optional.ofNullable(people.get(p)).map(x -> " " + x.name()).orElse("");
        out.println((alreadyPresent ? "already recorded as entry #" : "recorded entry #") + seq + " "
                + hash.substring(0, 16) + "  " + theStep.wire() + " " + theStep.chinese() + "  "
                + ids.size() + " bag" + (ids.size() == 1 ? "" : "s") + "  signed by "
                + handoff.parties().stream().map(name).collect(Collectors.joining(", ")));
        for (BagId bag : ids) {
            out.println("  " + bag);
        }
        AttachOptions.print(out, handoff.attachments());
        return Custody.recordedFindings(out, findings, zone);
    }

    private List<BagId> bagIds(Terminal terminal, PrintWriter err, BagBook ledger) {
        List<String> duplicates = new ArrayList<>();
        List<BagId> ids;
        if (bags.isEmpty()) {
            ids = BagInput.read(terminal, duplicates, ledger);
            if (ids.isEmpty()) {
                throw new UserError("no bags: give --bag BAG, or scan or type bag ids on standard input, one per line");
            }
        } else {
            Set<BagId> set = new LinkedHashSet<>();
            for (String b : bags) {
                BagId bag = b.strip().startsWith(Label.PREFIX) ? BagInput.checkedLabel(b.strip(), "--bag " + b.strip(), ledger)
                        : BagId.of(b.strip());
                if (!set.add(bag)) {
                    duplicates.add(b);
                }
            }
            ids = new ArrayList<>(set);
        }
        if (!duplicates.isEmpty()) {
            err.println("note: " + String.join(", ", duplicates) + " given twice; counted once");
        }
        return ids;
    }

    private static int refused(List<Finding> findings, PrintWriter err, java.time.ZoneId zone) {
        boolean integrity = findings.stream().anyMatch(f -> f.code().findingClass() == FindingClass.INTEGRITY);
        err.println("refused" + (integrity ? "" : " (the exam's policy is strict; 本场考试执行严格策略)")
                + "; nothing was stored (已拒绝，未保存):");
        Custody.printFindings(err, findings, zone);
        err.println(integrity ? "Check the signers' keys and the bags, then record the handoff again (请核对签字人密钥与试卷袋后重新记录)."
                : "Correct the handoff (who signs, the step, counts, seals) and record it again, or record an incident"
                        + " (请更正交接信息后重新记录，或登记异常情况).");
        return integrity ? Exit.INTEGRITY : Exit.REFUSED;
    }

    /** What is to be signed, in words a signer can check. */
    static String summary(Handoff h, Map<PersonId, Person> people) {
        Function<PersonId, String> name = p -> p + " " + Optional.ofNullable(people.get(p)).map(Person::name).orElse("(not enrolled)");
        StringBuilder s = new StringBuilder("To be signed: ").append(h.step().wire()).append(' ').append(h.step().chinese())
                .append(" at ").append(h.place().id()).append(", ").append(h.at()).append('\n');
        if (h.from() != null) s.append("  from    ").append(name.apply(h.from())).append('\n');
        s.append("  to      ").append(name.apply(h.to())).append('\n');
        h.witnesses().forEach(w -> s.append("  witness ").append(name.apply(w)).append('\n'));
        for (BagMove m : h.bags()) {
            s.append("  bag     ").append(m.bag());
            if (m.count() != null) s.append("  count ").append(m.count());
            if (m.present() != null) s.append("  present ").append(m.present());
            if (m.absent() != null) s.append("  absent ").append(m.absent());
            if (m.seal() != null) s.append("  seal ").append(m.seal());
            if (m.sealState() != null) s.append(' ').append(m.sealState().wire());
            if (m.container() != null) s.append("  in ").append(m.container());
            s.append('\n');
        }
        h.attachments().forEach(x -> s.append("  attach  ").append(x.describe()).append('\n'));
        return s.toString();
    }

    static <E extends Enum<E> & Labelled> E wire(Class<E> type, String option, String value) {
        try {
            return Labelled.fromWire(type, value);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage());
        }
    }
}
