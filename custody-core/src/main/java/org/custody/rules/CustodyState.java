package org.custody.rules;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.model.BagId;
import org.custody.model.ExamSession;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;

/**
 * Everything the custody rules read: people and their roles, each exam's policy and timetable, every
 * bag's state, withdrawn sets and vaults. Grows with people, bags and sessions, never with entries.
 */
final class CustodyState {
    final Map<PersonId, Person> people = new HashMap<>();
    /** The policy each exam with a policy record of its own states (others run under the defaults). */
    final Map<String, Policy> policies = new HashMap<>();
    /** The defaults of exams without a policy record, made once each. */
    private final Map<String, Policy> defaults = new HashMap<>();
    final Map<String, ExamSession> sessions = new HashMap<>();
    final BagTable bags;
    final Set<PaperSet> withdrawn = new HashSet<>();
    final Map<String, VaultState> vaults = new HashMap<>();
    /** Every exam the ledger names: of its registered bags, its policies and its timetables. */
    final Set<String> exams = new java.util.TreeSet<>();
    /** Whose each enrolled key is (governance: a key's owner may revoke it alone, R17). */
    final Map<org.custody.crypto.KeyId, PersonId> keyOwners = new HashMap<>();
    Instant latest = Instant.EPOCH;
    /** The places registered, by id (the first registration of an id stands). */
    final Map<String, org.custody.model.RegisteredPlace> places = new java.util.TreeMap<>();

    /** The registered places of {@code kind} (of {@code site}, unless null), sorted by id. */
    java.util.List<org.custody.model.RegisteredPlace> places(org.custody.model.PlaceKind kind, String site) {
        return places.values().stream().filter(p -> p.kind() == kind && (site == null || site.equals(p.site()))).toList();
    }

    /** Whether {@code id} is a registered place of {@code kind}. */
    boolean registered(String id, org.custody.model.PlaceKind kind) {
        org.custody.model.RegisteredPlace p = places.get(id);
        return p != null && p.kind() == kind;
    }
    /**
     * The entries whose signers a later correction needs (R17: a correction is signed by someone who signed what it
     * corrects): their hashes, named before the entries are applied ({@link RuleEngine#watch}); grows with corrections.
     */
    final Set<org.custody.crypto.Hash> watched = new HashSet<>();
    /** The signers of the watched entries applied so far. */
    final Map<org.custody.crypto.Hash, java.util.List<PersonId>> watchedSigners = new HashMap<>();
    /** Finds the signers of an entry not watched, by its hash (the gate looks in the store); none by default. */
    java.util.function.Function<org.custody.crypto.Hash, Optional<java.util.List<PersonId>>> signersOf = h -> Optional.empty();

    /** Who signed the entry whose hash is {@code entry}, if it is in the ledger (before the record being checked). */
    Optional<java.util.List<PersonId>> signers(org.custody.crypto.Hash entry) {
        java.util.List<PersonId> known = watchedSigners.get(entry);
        return known != null ? Optional.of(known) : signersOf.apply(entry);
    }

    /**
     * Changed rows since they were last handed to a store, by kind (StateCodec's kinds); {@code null} while changes
     * are not noted (a verifier, or an engine replaying the entries, which hands out all of its state at once).
     */
    Map<String, Set<String>> changed;

    /** @param rows where the state is kept, read on demand, or {@code null} if it is all in memory */
    CustodyState(RuleEngine.StateRows rows) {
        this.bags = new BagTable(rows);
    }

    /** Notes that the row of {@code kind} and {@code key} changed, if changes are noted. */
    void touch(String kind, String key) {
        if (changed != null) {
            changed.computeIfAbsent(kind, k -> new java.util.LinkedHashSet<>()).add(key);
        }
    }

    Policy policy(String exam) {
        Policy stated = policies.get(exam);
        return stated != null ? stated : defaults.computeIfAbsent(exam, Policy::defaults);
    }

    /** The tightest vault inspection interval of any exam's policy (R12): the defaults' for an exam without one. */
    java.time.Duration inspectionInterval() {
        java.time.Duration tightest = null;
        for (Policy p : policies.values()) {
            tightest = tightest == null || p.inspectionInterval().compareTo(tightest) < 0 ? p.inspectionInterval() : tightest;
        }
        if (tightest == null || !policies.keySet().containsAll(exams)) {
            tightest = tightest == null || Policy.INSPECTION_INTERVAL.compareTo(tightest) < 0 ? Policy.INSPECTION_INTERVAL : tightest;
        }
        return tightest;
    }

    /** When {@code exam}'s last session ends by its timetable, or {@code null} if it has none. */
    Instant examEnd(String exam) {
        String prefix = exam + "\u0000";
        Instant end = null;
        for (var e : sessions.entrySet()) {
            if (e.getKey().startsWith(prefix) && (end == null || e.getValue().endsAt().isAfter(end))) {
                end = e.getValue().endsAt();
            }
        }
        return end;
    }

    Optional<Person> person(PersonId id) {
        return Optional.ofNullable(people.get(id));
    }

    /** The timetable entry of a bag's session and subject, or of its session alone. */
    Optional<ExamSession> session(String exam, String session, String subject) {
        if (session == null) {
            return Optional.empty();
        }
        ExamSession exact = sessions.get(key(exam, session, subject));
        return Optional.ofNullable(exact != null ? exact : sessions.get(key(exam, session, null)));
    }

    static String key(String exam, String session, String subject) {
        return exam + "\u0000" + session + "\u0000" + (subject == null ? "" : subject);
    }
}
