package org.custody.ledger.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.custody.audit.CosignatureLine;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.WitnessQuorum;
import org.custody.crypto.KeyId;
import org.custody.ledger.gate.KeyState;
import org.custody.ledger.gate.MemoryState;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.sqlite.Meta;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Founder;
import org.custody.record.Genesis;

/**
 * Checks every cosignature line stored with a checkpoint, in a ledger file or a bundle: a line whose key name and id
 * are those of a key enrolled for a witness_cosigner (or, as before that role, a discipline inspector) must verify (I08), and the key must not have been revoked
 * before the cosignature's time (I05); a line of any other key is listed as untrusted, not trusted and not a
 * finding. The checkpoint signer's own lines are {@link TreeAudit}'s.
 */
final class CosignatureAudit {
    private final List<EntrySource.StoredCheckpoint> checkpoints;
    private final boolean v2;
    private final String origin;
    /** Keys enrolled for a checkpoint signer. */
    private final Set<KeyId> checkpointKeys = new HashSet<>();
    /** Everyone enrolled, with their latest details (roles). */
    private final Map<PersonId, Person> people = new HashMap<>();
    private final List<CosignatureLine> untrusted = new ArrayList<>();

    /** The position of each stored checkpoint's last entry. */
    private final Set<Long> checkpointEnds = new HashSet<>();
    /** The append time of the entries at {@link #checkpointEnds}, where they have one. */
    private final Map<Long, java.time.Instant> lastAppended = new HashMap<>();

    /** The reader's witness policy for the latest stored checkpoint, or null. */
    private final WitnessQuorum witnesses;

    CosignatureAudit(Meta meta, List<EntrySource.StoredCheckpoint> checkpoints, WitnessQuorum witnesses) {
        this.checkpoints = checkpoints;
        this.witnesses = witnesses;
        checkpoints.forEach(c -> checkpointEnds.add(c.size() - 1));
        this.v2 = meta.schemaVersion() >= 2;
        this.origin = CheckpointStore.origin(meta.ledger());
    }

    /**
     * The next decoded entry, at {@code position}, whose people and checkpoint keys the cosignature lines are judged
     * against; the append time of each checkpoint's last entry is kept, which no cosignature of it may precede (I12).
     */
    void entry(long position, Entry entry) {
        appended(position, entry);
        if (entry.record() instanceof Genesis g) {
            for (Founder f : g.founders()) {
                people.put(f.person().id(), f.person());
            }
        } else if (entry.record() instanceof Enrolment e) {
            people.put(e.person().id(), e.person());
            if (e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
                checkpointKeys.add(e.key().id());
            }
        }
    }

    /**
     * Takes in what entries not read here left (a verification that starts after them): everyone enrolled, and the keys
     * enrolled for a checkpoint signer.
     */
    void restore(Map<PersonId, Person> enrolled, Set<KeyId> checkpointSigners) {
        people.putAll(enrolled);
        checkpointKeys.addAll(checkpointSigners);
    }

    /** Whether the entry at {@code position} ends a stored checkpoint (its append time is then kept: {@link #appended}). */
    boolean endsCheckpoint(long position) {
        return checkpointEnds.contains(position);
    }

    /** The append time of the decoded entry at {@code position}, when it ends a stored checkpoint. */
    void appended(long position, Entry entry) {
        if (checkpointEnds.contains(position)) {
            entry.appended().ifPresent(t -> lastAppended.put(position, t));
        }
    }

    /** After the last entry (at {@code lastPosition}): every signature line of every stored checkpoint that is not the ledger's own (TreeAudit checks those). */
    void finish(long lastPosition, MemoryState state, Consumer<Finding> report) {
        if (witnesses != null) {
            checkQuorum(lastPosition, report);
        }
        if (!v2) {
            return;
        }
        Set<String> logIds = new HashSet<>();
        Map<String, Map<String, KeyState>> byName = new HashMap<>();
        for (KeyState k : state.keys()) {
            if (checkpointKeys.contains(k.key().id())) {
                logIds.add(NoteKey.of(origin, NoteKeyType.of(k.key().algorithm(), false), k.key()).id());
            }
        }
        for (EntrySource.StoredCheckpoint stored : checkpoints) {
            long size = stored.size();
            SignedNote note;
            try {
                note = SignedNote.parse(stored.note());
            } catch (MalformedNoteException e) {
                continue; // TreeAudit reports it (I08)
            }
            long position = Math.max(0, Math.min(size - 1, lastPosition));
            for (NoteSignature line : note.signatures()) {
                if (line.name().equals(origin) && logIds.contains(line.keyId())) {
                    continue;
                }
                KeyState key = byName.computeIfAbsent(line.name(), name -> cosignatureKeys(name, state)).get(line.keyId());
                if (key == null) {
                    untrusted.add(new CosignatureLine(size, line.name(), line.keyId(), "no key enrolled in this ledger"));
                    continue;
                }
                Person person = people.get(key.person());
                if (person == null || !person.cosignsCheckpoints()) {
                    untrusted.add(new CosignatureLine(size, line.name(), line.keyId(), "a key of " + key.person()
                            + ", who is neither a witness_cosigner nor a discipline inspector"));
                    continue;
                }
                checkCosignature(size, position, note, line, key, report);
            }
        }
    }

    /** The reader's witness quorum on the latest stored checkpoint (I08 if it is not met, or there is no checkpoint). */
    private void checkQuorum(long lastPosition, Consumer<Finding> report) {
        EntrySource.StoredCheckpoint latest = null;
        for (EntrySource.StoredCheckpoint c : checkpoints) {
            if (latest == null || c.size() > latest.size()) {
                latest = c;
            }
        }
        String wanted = witnesses.quorum() + " of " + witnesses.names();
        if (latest == null) {
            report.accept(Finding.of(FindingCode.I08, Math.max(0, lastPosition), null, "the ledger keeps no signed checkpoint,"
                    + " so none is cosigned by the witnesses required (" + wanted + ")")
                    .inChinese("账本没有检查点，无法满足所要求的见证签名数").comparing("cosigned by " + wanted, "no checkpoint"));
            return;
        }
        try {
            witnesses.check(SignedNote.parse(latest.note()));
        } catch (NoteVerificationException | MalformedNoteException e) {
            report.accept(Finding.of(FindingCode.I08, Math.max(0, Math.min(latest.size() - 1, lastPosition)), null,
                    "the latest stored checkpoint (size " + latest.size() + ") is not cosigned by the witnesses required: "
                            + e.getMessage())
                    .inChinese("最新检查点的见证签名不足或无效").comparing("cosigned by " + wanted, e.getMessage()));
        }
    }

    /** The cosignature note keys named {@code name} of every enrolled key, by note key id. */
    private static Map<String, KeyState> cosignatureKeys(String name, MemoryState state) {
        Map<String, KeyState> out = new HashMap<>();
        for (KeyState k : state.keys()) {
            out.put(NoteKey.of(name, NoteKeyType.of(k.key().algorithm(), true), k.key()).id(), k);
        }
        return out;
    }

    private void checkCosignature(long size, long position, SignedNote note, NoteSignature line, KeyState key,
                                  Consumer<Finding> report) {
        NoteKey noteKey = NoteKey.of(line.name(), NoteKeyType.of(key.key().algorithm(), true), key.key());
        String who = line.name() + "+" + line.keyId() + " (key " + key.key().id() + " of " + key.person()
                + ", " + (people.get(key.person()) != null && people.get(key.person()).hasRole(Role.WITNESS_COSIGNER)
                ? "a witness_cosigner)" : "a discipline inspector)");
        try {
            SignedNote alone = SignedNote.parse((note.text() + "\n" + line.line() + "\n").getBytes(StandardCharsets.UTF_8));
            var at = NoteVerifier.of(List.of(noteKey)).verify(alone).cosignedAt(line.name()).orElseThrow();
            java.time.Instant appended = lastAppended.get(size - 1);
            if (appended != null && appended.isAfter(at.plus(org.custody.model.Policy.FUTURE_TOLERANCE))) {
                report.accept(Finding.of(FindingCode.I12, size - 1, null, "entry " + (size - 1) + " claims to have been appended at "
                        + appended + ", but " + who + " cosigned the checkpoint of size " + size + ", which contains it, at " + at
                        + " (clocks may differ by " + org.custody.model.Policy.FUTURE_TOLERANCE.toMinutes() + " minutes)")
                        .withPeople(List.of(key.person())).inChinese("记录的入账时间晚于包含该记录的检查点的见证时间")
                        .comparing("appended by " + at.plus(org.custody.model.Policy.FUTURE_TOLERANCE), appended));
            }
            if (key.revokedFrom() != null && !key.revokedFrom().isAfter(at)) {
                report.accept(Finding.of(FindingCode.I05, position, null, "the cosignature by " + who + " on the stored checkpoint"
                        + " of size " + size + " is dated " + at + ", when the key was revoked").withPeople(List.of(key.person()))
                        .inChinese("检查点的见证签名晚于该密钥的吊销时间").comparing("cosigned before " + key.revokedFrom(), at));
            }
        } catch (NoteVerificationException | MalformedNoteException | java.util.NoSuchElementException e) {
            report.accept(Finding.of(FindingCode.I08, position, null, "the cosignature by " + who + " on the stored checkpoint"
                    + " of size " + size + " does not verify: " + e.getMessage()).withPeople(List.of(key.person()))
                    .inChinese("检查点上的见证签名验证失败（伪造或损坏）")
                    .comparing("a valid cosignature by " + noteKey, line.line()));
        }
    }

    /** Cosignature lines by keys that are not an enrolled discipline inspector's: listed, not trusted. */
    List<CosignatureLine> untrusted() {
        return List.copyOf(untrusted);
    }
}
