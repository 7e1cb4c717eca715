package org.custody.checkpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.failure.MalformedInputException;

/**
 * A note whose signatures by known keys all verified, and at least one did; made only by {@link NoteVerifier}. The
 * {@code require} methods add a policy on who signed and return this note, or throw.
 */
public final class VerifiedNote {
    /** A verified signature: its key and, for a cosignature, its timestamp (else -1). */
    record Signer(NoteKey key, long timestamp) {}

    private final String text;
    private final List<Signer> signers;

    VerifiedNote(String text, List<Signer> signers) {
        this.text = text;
        this.signers = List.copyOf(signers);
    }

    /** The verified text. */
    public String text() {
        return text;
    }

    /**
     * The text read as a checkpoint body.
     *
     * @throws MalformedNoteException if it is not one
     */
    public Checkpoint checkpoint() {
        return Checkpoint.parse(text);
    }

    /** The names of the known keys whose signatures verified, sorted. */
    public Set<String> signerNames() {
        Set<String> out = new TreeSet<>();
        signers.forEach(s -> out.add(s.key().name()));
        return out;
    }

    /** The latest verified cosignature time by {@code name}, if it cosigned. */
    public Optional<Instant> cosignedAt(String name) {
        long latest = -1;
        for (Signer s : signers) {
            if (s.key().name().equals(name) && s.timestamp() > latest) {
                latest = s.timestamp();
            }
        }
        return latest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(latest));
    }

    /**
     * Requires verified signatures (plain or cosignatures) by at least {@code n} of the keys named {@code names}.
     *
     * @throws NoteVerificationException ({@link Reason#TOO_FEW_SIGNATURES}) naming who signed and who did not
     * @throws org.custody.failure.MalformedInputException if {@code n} is not between 1 and the number of distinct names
     */
    public VerifiedNote requireSignatures(int n, Collection<String> names) {
        Set<String> wanted = policy(n, names);
        List<String> signed = new ArrayList<>();
        for (String name : wanted) {
            if (signers.stream().anyMatch(s -> s.key().name().equals(name))) {
                signed.add(name);
            }
        }
        if (signed.size() < n) {
            Set<String> missing = new TreeSet<>(wanted);
            signed.forEach(missing::remove);
            throw new NoteVerificationException(Reason.TOO_FEW_SIGNATURES, "need signatures by " + n + " of " + wanted
                    + ", got " + signed.size() + " " + signed + "; missing " + missing);
        }
        return this;
    }

    /**
     * Requires verified cosignatures timestamped at or after {@code notBefore} by at least {@code n} of the keys named
     * {@code names}: the inspectors vouched for this checkpoint recently enough. Plain signatures do not count.
     *
     * @throws NoteVerificationException ({@link Reason#TOO_FEW_SIGNATURES}) naming who cosigned, too early or not
     * @throws org.custody.failure.MalformedInputException if {@code n} is not between 1 and the number of distinct names
     */
    public VerifiedNote requireCosignatures(int n, Collection<String> names, Instant notBefore) {
        Set<String> wanted = policy(n, names);
        List<String> fresh = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (String name : wanted) {
            Optional<Instant> at = cosignedAt(name);
            if (at.isPresent()) {
                (at.get().isBefore(notBefore) ? stale : fresh).add(name + " at " + at.get());
            }
        }
        if (fresh.size() < n) {
            throw new NoteVerificationException(Reason.TOO_FEW_SIGNATURES, "need cosignatures at or after " + notBefore
                    + " by " + n + " of " + wanted + ", got " + fresh.size() + " " + fresh
                    + (stale.isEmpty() ? "" : "; too old: " + stale));
        }
        return this;
    }

    private static Set<String> policy(int n, Collection<String> names) {
        Set<String> wanted = new TreeSet<>(names);
        if (n < 1 || n > wanted.size()) {
            throw new MalformedInputException("a policy needs 1 to " + wanted.size() + " of " + wanted + ", got " + n);
        }
        return wanted;
    }

    @Override
    public String toString() {
        return "VerifiedNote[signed by " + signerNames() + "]";
    }
}
