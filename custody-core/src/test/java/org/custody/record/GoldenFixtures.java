package org.custody.record;

import java.time.Instant;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.custody.model.Policy;
import org.custody.model.Quorum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;

/**
 * The records of the golden vectors: an eight-entry ledger with one record of each type but schedule (genesis, enrol,
 * register, handoff, incident, revoke, policy: the registration registers places too, the policy states every optional
 * member of its time), then a second policy stating the station idle time added later (entries 0-6 keep their bytes),
 * built from the people's public keys and the hashes of the entries before each one.
 * Shared by {@link GoldenVectorsGenerator}, which signs with seeded keys, and {@link GoldenVectorsTest}, which
 * rebuilds the same records from the committed keys and signatures. Changing anything here changes the vectors.
 */
final class GoldenFixtures {
    static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    static final String EXAM = "HN-ZSB-2021";
    /** The people who hold keys, in the order their keys are listed. */
    static final List<String> PEOPLE = List.of("P001", "P002", "P003", "P004");
    static final BagId BAG = BagId.of("K01.01.S1.ENG.A");
    static final BagId BOX = BagId.of("BOX-07");
    /** Number of entries in each golden ledger. */
    static final int ENTRIES = 8;

    private GoldenFixtures() {}

    /** Signs the signed bytes of the record at {@code seq} for {@code person}. */
    @FunctionalInterface
    interface Signer {
        Signature sign(int seq, PersonId person, byte[] signedBytes);
    }

    static Person person(String id) {
        switch (id) {
            case "P001":
                return Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
            case "P002":
                return new Person(PersonId.of("P002"), "许春娜", Set.of(Role.CONFIDENTIALITY_OFFICER, Role.CHIEF_EXAMINER),
                        null, "湖南省教育考试院", List.of());
            case "P003":
                return new Person(PersonId.of("P003"), "杨丹", Set.of(Role.DISCIPLINE_INSPECTOR), null, "省纪检监察组", List.of());
            case "P004":
                return new Person(PersonId.of("P004"), "吴怡晓", Set.of(Role.ESCORT, Role.POLICE), "K01", "长沙市公安局",
                        List.of(new Recusal("HN-GK-2021", "子女参加本年度高考")));
            default:
                throw new IllegalArgumentException("no golden person " + id);
        }
    }

    private static PersonId id(String id) {
        return PersonId.of(id);
    }

    /** The record at {@code seq}, given everyone's public key and the hashes of entries 0 to {@code seq - 1}. */
    static Record record(int seq, Suite suite, Map<String, PublicKey> keys, List<Hash> before) {
        if (before.size() != seq) {
            throw new IllegalArgumentException("record " + seq + " needs the hashes of the " + seq + " entries before it");
        }
        switch (seq) {
            case 0:
                return new Genesis(RecordId.of("genesis"), LEDGER, Instant.parse("2021-06-01T00:00:00Z"), suite,
                        List.of(new Founder(person("P001"), keys.get("P001")), new Founder(person("P002"), keys.get("P002")),
                                new Founder(person("P003"), keys.get("P003"))));
            case 1:
                return new Enrolment(RecordId.of("enrol-P004"), LEDGER, Instant.parse("2021-06-01T00:05:00Z"),
                        person("P004"), keys.get("P004"), id("P001"));
            case 2:
                return new Registration(RecordId.of("reg-K01"), LEDGER, Instant.parse("2021-06-02T09:00:00Z"),
                        List.of(Bag.papers(BAG, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "ENG", "A", 30,
                                        Secrecy.CONFIDENTIAL),
                                Bag.container(BOX, BagKind.TRANSPORT_BOX, EXAM, "K01")),
                        List.of(id("P001"), id("P003")),
                        List.of(org.custody.model.RegisteredPlace.vault("VAULT-1", "省考试院保密室"),
                                org.custody.model.RegisteredPlace.room("K01", "01")));
            case 3:
                return Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-0003")).ledger(LEDGER).at(Instant.parse("2021-06-06T15:30:00.250Z"))
                        .from(id("P001")).to(id("P002")).witnesses(List.of(id("P003"))).place(Place.of("VAULT-1", "省考试院保密室"))
                        .bags(List.of(BagMove.of(BAG, before.get(2)).count(30).seal("FT-2021-000123", SealState.INTACT)
                                .inside(BOX)))
                        .note("入库核对无误\n\"A\" 套\t封条完好 \\ ok").build();
            case 4:
                return Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("inc-0004")).ledger(LEDGER).at(Instant.parse("2021-06-07T08:00:00Z"))
                        .bags(List.of(BagMove.of(BAG, before.get(3)).seal("FT-2021-000123", SealState.BROKEN)))
                        .by(List.of(id("P002"), id("P003"))).place(Place.of("VAULT-1", null)).set(new PaperSet(EXAM, "S1", "ENG", "A"))
                        .refers(before.get(3)).note("封条破损，启用B套").build();
            case 5:
                return new Revocation(RecordId.of("revoke-P004"), LEDGER, Instant.parse("2021-06-07T12:30:00Z"),
                        keys.get("P004").id(), Instant.parse("2021-06-07T12:00:00.500Z"), "押运员离岗",
                        List.of(id("P001"), id("P003")));
            case 6:
                return new PolicyRecord(RecordId.of("policy-2"), LEDGER, Instant.parse("2021-06-07T13:00:00Z"),
                        new Policy(EXAM, Policy.Mode.STRICT, 3, 4, Duration.ofMinutes(0), Duration.ofMinutes(120), Duration.ofMinutes(240),
                                ZoneId.of("Asia/Shanghai"), true, Map.of(
                                        "set_withdrawn", new Quorum(List.of(new Quorum.Group(Set.of(Role.CHIEF_EXAMINER,
                                                Role.DEPUTY_CHIEF_EXAMINER), 1), new Quorum.Group(Set.of(Role.DISCIPLINE_INSPECTOR), 2))),
                                        "policy", new Quorum(List.of(new Quorum.Group(Set.of(Role.CONFIDENTIALITY_OFFICER), 1),
                                                new Quorum.Group(Set.of(Role.DISCIPLINE_INSPECTOR), 1)))),
                                Duration.ofMinutes(5), Duration.ofMinutes(60)),
                        List.of(id("P002"), id("P003")));
            case 7: // stationIdleMinutes came after the vectors above: they keep their bytes, this one states it
                return new PolicyRecord(RecordId.of("policy-3"), LEDGER, Instant.parse("2021-06-07T14:00:00Z"),
                        new Policy(EXAM, Policy.Mode.RECORD, 2, 3, Duration.ofMinutes(5), Duration.ofMinutes(180), Duration.ofMinutes(360),
                                ZoneId.of("Asia/Shanghai"), false).withStationIdle(Duration.ofMinutes(15)),
                        List.of(id("P002"), id("P003")));
            default:
                throw new IllegalArgumentException("the golden ledger has entries 0-" + (ENTRIES - 1) + ", not " + seq);
        }
    }

    /** When the golden ledger appended {@code record}: 2 minutes 30.125 seconds after the time it claims. */
    public static Instant appended(Record record) {
        return record.at().plusMillis(150_125);
    }

    /** The golden ledger for {@code suite}: each record signed by its parties, in order, chained by hash. */
    static List<Entry> chain(Suite suite, Map<String, PublicKey> keys, Signer signer) {
        List<Entry> entries = new ArrayList<>();
        List<Hash> hashes = new ArrayList<>();
        for (int seq = 0; seq < ENTRIES; seq++) {
            Record record = record(seq, suite, keys, hashes);
            SignedRecord signed = SignedRecord.unsigned(record);
            for (PersonId party : record.parties()) {
                signed = signed.with(signer.sign(seq, party, signed.signedBytes()));
            }
            Entry entry = Entry.create(seq, seq == 0 ? Hash.ZERO : hashes.get(seq - 1), signed, appended(record));
            entries.add(entry);
            hashes.add(entry.hash(suite.hash()));
        }
        return entries;
    }
}
