package org.custody.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.custody.model.IncidentType;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Quorum.Group;
import org.custody.model.Role;
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Revocation;
import org.custody.record.ScheduleRecord;

/**
 * Who must sign a governance record (R17, docs/rules.md "Governance"): a quorum of groups, each needing so many
 * distinct signers who hold one of its roles. The regulations put an exam's running under its responsible officers
 * (004 Art.7: 主考负责制; the provincial office's confidentiality officers) and its safety and secrecy under the
 * discipline inspectors' supervision (004 Art.5), so by default every governance record needs one of each.
 */
record Governance(String key, String action, String chineseAction, Quorum quorum, List<PersonId> onePartyOf) {
    Governance(String key, String action, String chineseAction, Quorum quorum) {
        this(key, action, chineseAction, quorum, null);
    }

    /** Groups to fill with distinct signers, and how to say so to people. */
    record Quorum(List<Group> groups, String english, String chinese) {
        /** A quorum an exam's policy states, said in the roles' own words. */
        static Quorum stated(org.custody.model.Quorum q) {
            List<Group> groups = q.groups();
            List<String> english = new java.util.ArrayList<>();
            List<String> chinese = new java.util.ArrayList<>();
            for (Group g : groups) {
                english.add(g.count() + " of " + g.roles().stream().map(Role::wire).sorted().collect(java.util.stream.Collectors.joining(" or ")));
                chinese.add(g.roles().stream().map(r -> r.label().chinese()).sorted().collect(java.util.stream.Collectors.joining("或"))
                        + g.count() + "人");
            }
            return new Quorum(groups, String.join(", and ", english) + " (as the exam's policy states)",
                    String.join("及", chinese) + "（按本场考试政策）");
        }
    }

    /** The responsible officers of an exam: its chief and deputy chief examiners, and the exam office's confidentiality officers. */
    static final Set<Role> OFFICERS = EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER, Role.CONFIDENTIALITY_OFFICER);
    /** Those who supervise safety and secrecy (004 Art.5). */
    static final Set<Role> INSPECTORS = EnumSet.of(Role.DISCIPLINE_INSPECTOR);
    /** Who may sponsor an enrolment: an officer or an inspector. */
    static final Set<Role> SPONSORS = EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER, Role.CONFIDENTIALITY_OFFICER,
            Role.DISCIPLINE_INSPECTOR);

    private static final Quorum INSPECTOR = new Quorum(List.of(new Group(INSPECTORS, 1)), "a discipline inspector", "纪检监察人员1人");
    private static final Quorum OFFICER_AND_INSPECTOR = new Quorum(List.of(new Group(OFFICERS, 1), new Group(INSPECTORS, 1)),
            "a chief examiner, deputy chief examiner or confidentiality officer, and a discipline inspector",
            "主考、副主考或保密员1人及纪检监察人员1人");
    /**
     * Spare papers are opened by at least 2 chief or deputy chief examiners after approval (004 Art.46): the approval
     * is signed by one of them and a second examiner or a discipline inspector.
     */
    private static final Quorum EXAMINER_AND_ANOTHER = new Quorum(List.of(
            new Group(EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER), 1),
            new Group(EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER, Role.DISCIPLINE_INSPECTOR), 1)),
            "a chief or deputy chief examiner, and a second examiner or a discipline inspector",
            "主考或副主考1人，及另一名主考、副主考或纪检监察人员");

    /**
     * A broken seal is recorded before the bag is re-sealed with a new number that later checks follow (R16): by a
     * responsible officer (who decides the re-sealing) and a second person who saw it, whoever found it.
     */
    private static final Quorum OFFICER_AND_WITNESS = new Quorum(List.of(new Group(OFFICERS, 1),
            new Group(EnumSet.complementOf(EnumSet.of(Role.CHECKPOINT_SIGNER, Role.WITNESS_COSIGNER)), 1)),
            "a chief examiner, deputy chief examiner or confidentiality officer, and a second person who saw it",
            "主考、副主考或保密员1人及另一名在场人员");

    /**
     * The quorum {@code record} needs by default ({@link #under} a policy that states its own), or {@code null} if it is
     * not a governance record or needs none here: a
     * revocation of a key by its owner alone, effective from its recording or later, needs nothing more (an owner may
     * always withdraw their own key); an enrolment's sponsor is {@link #SPONSORS}' business, checked apart.
     */
    static Governance of(Record record, CustodyState state) {
        if (record instanceof PolicyRecord) {
            return new Governance("policy", "policy change", "考试政策变更", OFFICER_AND_INSPECTOR);
        }
        if (record instanceof ScheduleRecord) {
            return new Governance("schedule", "timetable", "考试时间表", OFFICER_AND_INSPECTOR);
        }
        if (record instanceof Revocation r) {
            PersonId owner = state.keyOwners.get(r.key());
            boolean compromise = r.effective().isBefore(r.at());
            if (!compromise && owner != null && r.by().equals(List.of(owner))) {
                return null;
            }
            return compromise
                    ? new Governance("compromise", "compromise declaration (a revocation effective before it was recorded)", "密钥泄露声明（追溯吊销）",
                            OFFICER_AND_INSPECTOR)
                    : new Governance("revoke", "revocation of another person's key", "吊销他人密钥", OFFICER_AND_INSPECTOR);
        }
        if (record instanceof Incident i) {
            IncidentType type = i.incident();
            if (type == IncidentType.SEAL_BROKEN) {
                return new Governance(type.wire(), "seal_broken incident (the bag is re-sealed after it)", type.label().chinese(), OFFICER_AND_WITNESS);
            }
            if (type == IncidentType.SPARE_OPENING_APPROVAL) {
                return new Governance(type.wire(), type.wire() + " incident", type.label().chinese(), EXAMINER_AND_ANOTHER);
            }
            if (type == IncidentType.SET_WITHDRAWN) {
                return new Governance(type.wire(), type.wire() + " incident", type.label().chinese(), OFFICER_AND_INSPECTOR);
            }
            if (type == IncidentType.CORRECTION) {
                // those who signed what is corrected know what happened; an inspector sees that the correction is one
                List<PersonId> signers = i.refers() == null ? List.of() : state.signers(i.refers()).orElse(List.of());
                return new Governance(type.wire(), type.wire() + " incident", type.label().chinese(), INSPECTOR, signers);
            }
        }
        return null;
    }

    /** This governance as {@code policy} states it: its quorum for this kind of record, if it states one. */
    Governance under(org.custody.model.Policy policy) {
        org.custody.model.Quorum stated = policy.governance().get(key);
        return stated == null ? this : new Governance(key, action, chineseAction, Quorum.stated(stated), onePartyOf);
    }

    /**
     * Whether {@code signers} (known people only) fill every group with distinct people, and, for a correction, one
     * more of them signed the corrected entry.
     */
    boolean metBy(List<Person> signers) {
        if (onePartyOf == null) {
            return fill(0, 0, 0, signers, new boolean[signers.size()]);
        }
        for (int i = 0; i < signers.size(); i++) {
            if (onePartyOf.contains(signers.get(i).id())) {
                boolean[] used = new boolean[signers.size()];
                used[i] = true;
                if (fill(0, 0, 0, signers, used)) {
                    return true;
                }
            }
        }
        return false;
    }

    String english() {
        return onePartyOf == null ? quorum.english() : (onePartyOf.isEmpty()
                ? "one of the people who signed the corrected entry, which is not in this ledger before it"
                : "one of the people who signed the corrected entry (" + onePartyOf.stream().map(PersonId::value)
                        .collect(java.util.stream.Collectors.joining(", ")) + ")") + ", and " + quorum.english();
    }

    String chinese() {
        return onePartyOf == null ? quorum.chinese() : (onePartyOf.isEmpty() ? "被更正记录的签字人之一（本账本中此前无该记录）"
                : "被更正记录的签字人之一（" + onePartyOf.stream().map(PersonId::value)
                        .collect(java.util.stream.Collectors.joining("、")) + "）") + "及" + quorum.chinese();
    }

    /**
     * Whether groups {@code group}.. can be filled with unused signers, {@code filled} of group {@code group} being
     * chosen already among signers before {@code from}. Within a group signers are chosen in list order (a set, not
     * an order), so the search is over subsets: at most 16 signers and 8 groups.
     */
    private boolean fill(int group, int filled, int from, List<Person> signers, boolean[] used) {
        List<Group> groups = quorum.groups();
        if (group == groups.size()) {
            return true;
        }
        Group g = groups.get(group);
        if (filled == g.count()) {
            return fill(group + 1, 0, 0, signers, used);
        }
        for (int i = from; i < signers.size(); i++) {
            if (!used[i] && signers.get(i).roles().stream().anyMatch(g.roles()::contains)) {
                used[i] = true;
                if (fill(group, filled + 1, i + 1, signers, used)) {
                    return true;
                }
                used[i] = false;
            }
        }
        return false;
    }
}
