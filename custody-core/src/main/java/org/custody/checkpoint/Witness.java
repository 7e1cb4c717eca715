package org.custody.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.checkpoint.WitnessState.Entry;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.files.OwnerOnly;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.MerkleProofException;
import org.custody.merkle.ProofVerifier;
import org.custody.merkle.TreeHasher;

/**
 * An inspector's witness: cosigns a log's checkpoint (C2SP tlog-cosignature, timestamped) only after checking the
 * log's signature and that the checkpoint extends the last one it cosigned for that log, by a consistency proof. What
 * it cosigned is recorded in a state file it owns, durably and before the cosignature is returned, so restarting the
 * witness does not let a log roll it back. One {@code Witness} per state file: the file is locked while it is open.
 *
 * <p>A log is known by its note keys: the key's name is the log's origin, and its algorithm fixes the tree hash
 * (Ed25519: SHA-256, SM2: SM3, as in the ledger's suite). The first checkpoint of a log is trusted as it comes.
 */
public final class Witness implements AutoCloseable {
    private final Path file;
    private final NoteSigner cosigner;
    private final Map<String, Log> logs;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private WitnessState state;

    private record Log(NoteVerifier verifier, HashAlgorithm hash) {}

    private Witness(Path file, NoteSigner cosigner, Map<String, Log> logs, Clock clock, FileChannel lockChannel,
            FileLock lock, WitnessState state) {
        this.file = file;
        this.cosigner = cosigner;
        this.logs = logs;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.state = state;
    }

    /**
     * Creates a witness with a new, empty state file at {@code stateFile}.
     *
     * @param name the witness's key name, e.g. {@code inspector.example/P003}
     * @param key its cosigning key (Ed25519: cosignature/v1; SM2: the Custody SM2 cosignature)
     * @param logKeys the note keys of the logs it follows, named by their origins
     * @throws WitnessStateException if the file exists or cannot be written or locked
     */
    public static Witness create(Path stateFile, String name, SigningKey key, Collection<NoteKey> logKeys, Clock clock) {
        return start(stateFile, name, key, logKeys, clock, true);
    }

    /**
     * Opens a witness on its existing state file. A missing file is an error, not a fresh start: losing the state
     * must not silently reset what the witness vouched for.
     *
     * @throws WitnessStateException if the file is missing, unreadable, not in its format, or locked
     */
    public static Witness open(Path stateFile, String name, SigningKey key, Collection<NoteKey> logKeys, Clock clock) {
        return start(stateFile, name, key, logKeys, clock, false);
    }

    private static Witness start(Path stateFile, String name, SigningKey key, Collection<NoteKey> logKeys, Clock clock,
            boolean create) {
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(clock, "clock");
        NoteSigner cosigner = NoteSigner.cosigner(name, key);
        Map<String, Log> logs = logs(logKeys);
        Path lockFile = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = OwnerOnly.open(lockFile, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new WitnessStateException("witness state " + stateFile + " is in use by another witness");
            }
            WitnessState state;
            if (create) {
                state = WitnessState.empty();
                state.write(stateFile, true);
            } else {
                state = WitnessState.read(stateFile);
            }
            return new Witness(stateFile, cosigner, logs, clock, channel, lock, state);
        } catch (IOException e) {
            close(channel);
            throw new WitnessStateException("cannot lock witness state " + stateFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static Map<String, Log> logs(Collection<NoteKey> logKeys) {
        Map<String, List<NoteKey>> byOrigin = new LinkedHashMap<>();
        for (NoteKey k : logKeys) {
            if (k.type().isCosignature()) {
                throw new MalformedInputException("log key " + k + " is a cosignature key, not a log's note key");
            }
            byOrigin.computeIfAbsent(k.name(), o -> new ArrayList<>()).add(k);
        }
        if (byOrigin.isEmpty()) {
            throw new MalformedInputException("a witness follows at least one log");
        }
        Map<String, Log> logs = new LinkedHashMap<>();
        byOrigin.forEach((origin, keys) -> {
            if (Checkpoint.originProblem(origin) != null) {
                throw new MalformedInputException("log key name '" + origin + "' cannot be a checkpoint origin");
            }
            HashAlgorithm hash = Suite.of(keys.get(0).type().algorithm()).hash();
            for (NoteKey k : keys) {
                if (Suite.of(k.type().algorithm()).hash() != hash) {
                    throw new MalformedInputException("log " + origin + " has keys of two suites");
                }
            }
            logs.put(origin, new Log(NoteVerifier.of(keys), hash));
        });
        return Map.copyOf(logs);
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                // the lock file holds nothing; closing it releases the lock
            }
        }
    }

    /** The verifier key of this witness's cosignatures, for those who require them. */
    public NoteKey key() {
        return cosigner.key();
    }

    /** The last checkpoint this witness cosigned for {@code origin} (origin, size and root), if any. */
    public synchronized Optional<Checkpoint> latest(String origin) {
        Entry e = state.get(origin);
        return e == null ? Optional.empty() : Optional.of(Checkpoint.of(origin, e.size(), e.root()));
    }

    /**
     * Cosigns a signed checkpoint, returning it with this witness's cosignature line added. The note must be signed
     * by a known key of the log named by its origin; the checkpoint must not be smaller than the last one cosigned
     * for that log, must have the same root at the same size, and if larger, {@code proof} must prove it consistent
     * with the last one ({@code size1} = the witness's size, {@code size2} = the new size). The proof may be null
     * when the witness has cosigned nothing for this log, nothing but the empty tree, or exactly this size. The new
     * state is written durably before the cosignature is returned.
     *
     * @throws MalformedNoteException if the note or its checkpoint body is malformed
     * @throws NoteVerificationException if the log is unknown or its signature does not verify
     * @throws WitnessRefusedException if the checkpoint does not extend what the witness cosigned (I08 or I09)
     * @throws WitnessStateException if the new state could not be recorded (nothing is cosigned then)
     */
    public synchronized SignedNote cosign(byte[] signedCheckpoint, ConsistencyProof proof) {
        SignedNote note = SignedNote.parse(signedCheckpoint);
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        Log log = verified(note, checkpoint);
        Entry last = state.get(checkpoint.origin());
        checkExtends(log, checkpoint, last, proof);
        return note.withSignature(record(note, checkpoint, last));
    }

    /** Whether this witness follows the log of {@code origin} (tlog-witness answers 404 for one it does not). */
    public boolean follows(String origin) {
        return logs.containsKey(origin);
    }

    /**
     * Answers a C2SP tlog-witness {@code add-checkpoint} request: the checkpoint must be signed by a known key of the
     * log its origin names, the request's old size must be the size this witness cosigned last for that log (0 if
     * none), and the proof must prove the checkpoint consistent with it. The new state is written durably, in the same
     * critical section as the check, before the cosignature is returned.
     *
     * @return this witness's cosignature line for the checkpoint
     * @throws MalformedNoteException if the checkpoint is malformed
     * @throws NoteVerificationException if the log is unknown ({@link #follows}) or no known key's signature verifies
     * @throws MalformedInputException if the old size is larger than the checkpoint's (400)
     * @throws WitnessConflictException if the old size is not this witness's, or the same size has another root (409)
     * @throws WitnessRefusedException if the proof does not verify (I08, 422)
     * @throws WitnessStateException if the new state could not be recorded (nothing is cosigned then)
     */
    public synchronized NoteSignature addCheckpoint(AddCheckpoint request) {
        SignedNote note = SignedNote.parse(request.checkpoint());
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        Log log = verified(note, checkpoint);
        if (request.oldSize() > checkpoint.size()) {
            throw new MalformedInputException("the old size " + request.oldSize() + " is larger than the checkpoint's size "
                    + checkpoint.size());
        }
        Entry last = state.get(checkpoint.origin());
        long known = last == null ? 0 : last.size();
        if (request.oldSize() != known) {
            throw new WitnessConflictException(known, "this witness cosigned a checkpoint of size " + known + " of "
                    + checkpoint.origin() + " last, the request says " + request.oldSize());
        }
        if (last != null && checkpoint.size() == known && !checkpoint.root().equals(last.root())) {
            throw new WitnessConflictException(known, "the checkpoint of size " + known + " of " + checkpoint.origin()
                    + " has root " + checkpoint.root().hex() + ", another than the one this witness cosigned (I09)");
        }
        ConsistencyProof proof = known == 0 || checkpoint.size() == known ? null
                : new ConsistencyProof(known, checkpoint.size(), request.proof());
        if (proof == null && !request.proof().isEmpty()) {
            throw refused(WitnessRefusedException.Reason.PROOF_MISMATCH, checkpoint.origin(), last,
                    "the proof from size " + known + " to " + checkpoint.size() + " is empty, the request has "
                            + request.proof().size() + " hashes", null);
        }
        checkExtends(log, checkpoint, last, proof);
        return record(note, checkpoint, last);
    }

    /** The log of {@code checkpoint}'s origin, after checking its signature on {@code note}. */
    private Log verified(SignedNote note, Checkpoint checkpoint) {
        if (!lock.isValid()) {
            throw new WitnessStateException("witness on " + file + " is closed");
        }
        Log log = logs.get(checkpoint.origin());
        if (log == null) {
            throw new NoteVerificationException(Reason.NO_KNOWN_SIGNATURE,
                    "this witness follows no log with origin " + checkpoint.origin() + "; it follows " + logs.keySet());
        }
        log.verifier().verify(note);
        return log;
    }

    /** Cosigns {@code checkpoint} and records it as the last cosigned for its origin, durably, before returning. */
    private NoteSignature record(SignedNote note, Checkpoint checkpoint, Entry last) {
        long timestamp = Math.max(clock.instant().getEpochSecond(), last == null ? 0 : last.timestamp());
        NoteSignature cosignature = cosigner.cosignature(note.text(), timestamp);
        WitnessState next = state.with(checkpoint.origin(), new Entry(checkpoint.size(), checkpoint.root(), timestamp));
        next.write(file, false);
        state = next;
        return cosignature;
    }

    private static void checkExtends(Log log, Checkpoint cp, Entry last, ConsistencyProof proof) {
        String origin = cp.origin();
        if (cp.size() == 0 && !cp.root().equals(TreeHasher.of(log.hash()).emptyRoot())) {
            throw refused(WitnessRefusedException.Reason.PROOF_MISMATCH, origin, last,
                    "the tree of size 0 has root H(\"\"), the checkpoint says " + cp.root().hex(), null);
        }
        if (last == null) {
            return;
        }
        if (cp.size() < last.size()) {
            throw refused(WitnessRefusedException.Reason.ROLLBACK, origin, last,
                    "checkpoint of size " + cp.size() + " is smaller than the size " + last.size() + " already cosigned", null);
        }
        if (cp.size() == last.size() && !cp.root().equals(last.root())) {
            throw refused(WitnessRefusedException.Reason.DIVERGENCE, origin, last,
                    "checkpoint of size " + cp.size() + " has root " + cp.root().hex() + ", another than the one cosigned", null);
        }
        if (last.size() == 0 || (proof == null && cp.size() == last.size())) {
            return;
        }
        if (proof == null) {
            throw refused(WitnessRefusedException.Reason.PROOF_MISMATCH, origin, last,
                    "no consistency proof from size " + last.size() + " to " + cp.size(), null);
        }
        if (proof.size1() != last.size() || proof.size2() != cp.size()) {
            throw refused(WitnessRefusedException.Reason.PROOF_MISMATCH, origin, last, "the proof is from size "
                    + proof.size1() + " to " + proof.size2() + ", needed from " + last.size() + " to " + cp.size(), null);
        }
        try {
            ProofVerifier.of(log.hash()).verifyConsistency(proof, last.root(), cp.root());
        } catch (MerkleProofException e) {
            throw refused(WitnessRefusedException.Reason.PROOF_MISMATCH, origin, last,
                    "the consistency proof does not verify: " + e.getMessage(), e);
        }
    }

    private static WitnessRefusedException refused(WitnessRefusedException.Reason reason, String origin, Entry last,
            String detail, Throwable cause) {
        Hash root = last == null ? null : last.root();
        return new WitnessRefusedException(reason, origin, last == null ? 0 : last.size(), root, detail, cause);
    }

    /** Releases the state file's lock. The state is already on disk. */
    @Override
    public synchronized void close() {
        if (!lockChannel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            throw new WitnessStateException("cannot release the lock on " + file + ": " + e.getMessage(), e);
        } finally {
            close(lockChannel);
        }
    }
}
