package org.custody.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Draft;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.IncidentType;
import org.custody.model.Labelled;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.record.BagMove;
import org.custody.record.Incident;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody incident}: an exception entry, recorded as it happened and signed by those present. */
@Command(name = "incident", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Record an exception entry (异常记录) as it happened: a vault video review, a broken seal, a miscount, a"
                + " loss, a suspected leak, a withdrawn set, an approval to open spare papers, or a correction of an earlier"
                + " entry (entries are never edited). Everyone named with --by signs in turn.",
                "Types: vault_inspection, seal_broken, miscount, lost, suspected_leak, set_withdrawn, spare_opening_approval,"
                        + " correction."})
final class IncidentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOption where;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "what happened (see above)")
    String type;

    @Option(names = "--by", required = true, paramLabel = "PERSON", description = "who signs (repeatable)")
    List<String> by;

    @Option(names = "--note", required = true, paramLabel = "TEXT", description = "what happened, in words")
    String note;

    @Option(names = "--bag", paramLabel = "BAG", description = "a bag concerned (repeatable); its chain is extended")
    List<String> bags = new ArrayList<>();

    @Option(names = "--place", paramLabel = "PLACE-ID", description = "where, e.g. VAULT (for vault_inspection: the vault reviewed)")
    String place;

    @Option(names = "--place-name", paramLabel = "TEXT", description = "the place's name")
    String placeName;

    @Option(names = "--set", paramLabel = "EXAM/SESSION/SUBJECT/SET", description = "the paper set withdrawn (set_withdrawn), e.g. HN-ZSB-2021/S1/ENG/A")
    String set;

    @Option(names = "--refers", paramLabel = "HASH", description = "hash of the entry corrected (correction)")
    String refers;

    @Option(names = "--at", paramLabel = "TIME", description = "when it happened (default: now)")
    String at;

    @Option(names = "--id", paramLabel = "RECORD-ID", description = "the record's id (default: random)")
    String id;

    @Mixin
    AttachOptions attachOptions;

    @Mixin
    SignerOptions signerOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IncidentType kind;
        try {
            kind = Labelled.fromWire(IncidentType.class, type);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new UserError("--type: " + e.getMessage());
        }
        Instant time = Times.parse("--at", at, where.zone);
        PaperSet paperSet = set == null ? null : paperSet(set);
        Hash refersTo;
        try {
            refersTo = refers == null ? null : Hash.fromHex(refers);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new UserError("--refers: " + e.getMessage() + "; 'custody history' shows entry hashes");
        }
        try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
            Ledger l = lease.ledger();
            Places.require(l, Places.expected(kind), place);
            Set<BagId> ids = new LinkedHashSet<>();
            bags.forEach(b -> ids.add(BagId.of(b.strip())));
            Set<BagId> registered = l.bags().stream().map(Bag::id).collect(Collectors.toSet());
            List<BagMove> moves = new ArrayList<>();
            for (BagId bag : ids) {
                if (!registered.contains(bag)) {
                    throw new UserError("bag " + bag + " is not registered in " + where.ledger + "; check the label ('custody bags list')");
                }
                moves.add(BagMove.of(bag, l.bagHead(bag).orElseThrow()));
            }
            Incident incident = Incident.builder(kind).id(id == null ? RecordId.random() : RecordId.of(id)).ledger(l.id()).at(time).bags(moves)
                    .by(by.stream().map(PersonId::of).distinct().toList()).place(place == null ? null : Place.of(place, placeName))
                    .set(paperSet).refers(refersTo).note(note).attachments(attachOptions.read(l.suite().hash(), err)).build();
            Map<PersonId, Person> people = l.people();
            Draft draft = l.draft(incident);
            new Signers(signerOptions, Custody.terminal(spec), err).sign(draft, people, new LinkedHashMap<>(), l.suite().signature());
            Appended done;
            try {
                done = draft.append();
            } catch (AppendRefusedException e) {
                return Custody.failure(e, spec, err);
            }
            out.println((done.alreadyPresent() ? "already recorded as entry #" : "recorded entry #") + done.seq() + " "
                    + done.hash().hex().substring(0, 16) + "  incident " + kind.wire() + " " + kind.chinese() + "  signed by "
                    + incident.by().stream().map(p -> p + " " + people.get(p).name()).collect(Collectors.joining(", ")));
            AttachOptions.print(out, incident.attachments());
            return Custody.recordedFindings(out, done.findings(), where.zone);
        }
    }

    private static PaperSet paperSet(String text) {
        String[] parts = text.split("/");
        if (parts.length != 4) {
            throw new UserError("--set '" + text + "' is not EXAM/SESSION/SUBJECT/SET, e.g. HN-ZSB-2021/S1/ENG/A");
        }
        return new PaperSet(parts[0], parts[1], parts[2], parts[3]);
    }
}
