package org.custody.rules;

import java.time.Instant;
import org.custody.crypto.Hash;
import org.custody.model.IncidentType;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;

/** Applies one entry to the custody state, after the rules have checked it. */
final class StateUpdate {
    private StateUpdate() {}

    static void apply(CustodyState state, long seq, Hash hash, Record record) {
        if (record.at().isAfter(state.latest)) {
            state.latest = record.at();
            state.touch(StateCodec.LEDGER, StateCodec.LATEST);
        }
        if (hash != null && state.watched.contains(hash)) {
            state.watchedSigners.put(hash, record.parties());
        }
        if (record instanceof Genesis g) {
            for (Founder f : g.founders()) {
                state.people.put(f.person().id(), f.person());
                state.keyOwners.put(f.key().id(), f.person().id());
                state.touch(StateCodec.PERSON, f.person().id().value());
                state.touch(StateCodec.KEY_OWNER, f.key().id().hex());
            }
        } else if (record instanceof Enrolment e) {
            state.people.put(e.person().id(), e.person());
            state.touch(StateCodec.PERSON, e.person().id().value());
            if (state.keyOwners.putIfAbsent(e.key().id(), e.person().id()) == null) {
                state.touch(StateCodec.KEY_OWNER, e.key().id().hex());
            }
        } else if (record instanceof PolicyRecord p) {
            state.policies.put(p.policy().exam(), p.policy());
            state.touch(StateCodec.POLICY, p.policy().exam());
            exam(state, p.policy().exam());
        } else if (record instanceof ScheduleRecord s) {
            exam(state, s.exam());
            s.sessions().forEach(session -> {
                String key = CustodyState.key(s.exam(), session.session(), session.subject());
                state.sessions.put(key, session);
                state.touch(StateCodec.SESSION, StateCodec.sessionRow(key));
            });
        } else if (record instanceof Registration r) {
            r.places().forEach(place -> {
                if (state.places.putIfAbsent(place.id(), place) == null) {
                    state.touch(StateCodec.PLACE, place.id());
                }
            });
            r.bags().forEach(b -> {
                exam(state, b.exam());
                state.touch(StateCodec.BAG, b.id().value());
                BagState bag = new BagState(b, r.at());
                bag.lastSeq = seq;
                bag.lastHash = hash;
                state.bags.put(b.id(), bag);
            });
        } else if (record instanceof Handoff h) {
            for (BagMove move : h.bags()) {
                BagState bag = state.bags.get(move.bag());
                if (bag != null) {
                    state.touch(StateCodec.BAG, move.bag().value());
                    handoff(state, seq, hash, h, move, bag);
                    bag.lastSeq = seq;
                    bag.lastHash = hash;
                    bag.lastEntryAt = h.at();
                }
            }
        } else if (record instanceof Incident i) {
            incident(state, seq, hash, i);
            for (BagMove move : i.bags()) {
                BagState bag = state.bags.get(move.bag());
                if (bag != null) {
                    state.touch(StateCodec.BAG, move.bag().value());
                    bag.lastSeq = seq;
                    bag.lastHash = hash;
                    bag.lastEntryAt = i.at();
                }
            }
        }
    }

    private static void handoff(CustodyState state, long seq, Hash hash, Handoff h, BagMove move, BagState bag) {
        Instant at = h.at();
        leaveVault(state, seq, hash, bag, h);
        bag.holder = h.to();
        bag.lastStep = h.step();
        bag.lastAt = at;
        if (state.bags.pack(bag.bag.id(), bag, move.container())) {
            state.touch(StateCodec.CONTAINER, move.container().value());
        }
        if (move.seal() != null && (SealContinuityRule.seals(h.step()) || bag.sealNumber == null || bag.resealing)) {
            bag.sealNumber = move.seal();
            bag.resealing = false;
        }
        if (SiteArrivalRule.arrives(h, bag.bag)) {
            bag.atSite = true;
        }
        if (move.count() != null) {
            bag.lastCount = move.count();
            bag.stepCounts.put(h.step(), new BagCounts.Counted(move.count(), seq));
        }
        if (h.step() == Step.COLLECT && move.present() != null) {
            bag.attendance = move.present() + (move.absent() == null ? 0 : move.absent());
        }
        if (h.step() == Step.SEAL && move.count() != null) {
            bag.sealedCount = move.count();
        } else if (h.step() == Step.COLLECT) {
            bag.collectedAt = at;
        } else if (h.step() == Step.VAULT_RETURN) {
            bag.returnedToVault = true;
        } else if (h.step() == Step.GRADING_OUT && bag.bag.kind() == org.custody.model.BagKind.ANSWER_SHEET) {
            bag.gradingOutAt = at;
        } else if (h.step() == Step.GRADING_RETURN) {
            bag.gradingOutAt = null;
        } else if (h.step() == Step.DESTROY) {
            bag.destroyed = true;
        }
        if (h.step().entersVault() && !bag.destroyed && !bag.bag.kind().isContainer()) {
            VaultState vault = state.vaults.computeIfAbsent(h.place().id(), VaultState::new);
            state.touch(StateCodec.VAULT, vault.place);
            if (vault.stored == 0 || vault.keepingEnd(state, at) != null) { // keeping (re)starts: so does the interval
                checked(vault, at, seq, hash);
            }
            vault.stored++;
            bag.vault = h.place().id();
            bag.archived = bag.bag.kind() == org.custody.model.BagKind.ANSWER_SHEET && h.step() == Step.GRADING_RETURN;
            if (bag.bag.kind() == org.custody.model.BagKind.ANSWER_SHEET) {
                if (!bag.archived) {
                    vault.answersInKeeping++;
                }
            } else {
                vault.papers.merge(bag.bag.exam(), 1, Integer::sum);
            }
        }
    }

    /** A bag stored in a vault leaves it with any handoff; a gap reported at this handoff is closed. */
    private static void leaveVault(CustodyState state, long seq, Hash hash, BagState bag, Handoff h) {
        if (bag.vault == null) {
            return;
        }
        VaultState vault = state.vaults.get(bag.vault);
        if (vault != null) {
            state.touch(StateCodec.VAULT, vault.place);
            if (VaultInspectionRule.overdue(vault, h.at(), state.inspectionInterval())) {
                checked(vault, h.at(), seq, hash);
            }
            vault.stored = Math.max(0, vault.stored - 1);
            if (bag.bag.kind() == org.custody.model.BagKind.ANSWER_SHEET) {
                if (!bag.archived) {
                    vault.answersInKeeping = Math.max(0, vault.answersInKeeping - 1);
                    if (vault.answersInKeeping == 0) {
                        vault.answersKeptUntil = h.at();
                    }
                }
            } else {
                vault.papers.merge(bag.bag.exam(), -1, Integer::sum);
            }
        }
        bag.vault = null;
        bag.archived = false;
    }

    private static void exam(CustodyState state, String exam) {
        if (state.exams.add(exam)) {
            state.touch(StateCodec.EXAM, exam);
        }
    }

    private static void incident(CustodyState state, long seq, Hash hash, Incident i) {
        if (i.incident() == IncidentType.SET_WITHDRAWN && i.set() != null) {
            if (state.withdrawn.add(i.set())) {
                state.touch(StateCodec.WITHDRAWN, StateCodec.setKey(i.set()));
            }
        } else if (i.incident() == IncidentType.SPARE_OPENING_APPROVAL) {
            for (BagMove move : i.bags()) {
                BagState bag = state.bags.get(move.bag());
                if (bag != null) {
                    bag.spareApproved = true;
                }
            }
        } else if (i.incident() == IncidentType.SEAL_BROKEN) {
            for (BagMove move : i.bags()) {
                BagState bag = state.bags.get(move.bag());
                if (bag != null) {
                    bag.resealing = true;
                }
            }
        } else if (i.incident() == IncidentType.VAULT_INSPECTION && i.place() != null) {
            VaultState vault = state.vaults.computeIfAbsent(i.place().id(), VaultState::new);
            state.touch(StateCodec.VAULT, vault.place);
            if (vault.lastCheck == null || i.at().isAfter(vault.lastCheck)) {
                checked(vault, i.at(), seq, hash);
            }
        }
    }

    /** The vault's inspection interval runs from {@code at}, the time of the entry at {@code seq} with {@code hash}. */
    private static void checked(VaultState vault, Instant at, long seq, Hash hash) {
        vault.lastCheck = at;
        vault.lastCheckSeq = seq;
        vault.lastCheckHash = hash;
    }
}
