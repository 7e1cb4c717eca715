package org.custody.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.VerifiedNote;
import picocli.CommandLine.Option;

/** {@code custody verify}'s options for a signed checkpoint kept earlier, and the signatures it must carry. */
final class KeptCheckpointOptions {
    @Option(names = "--expect-checkpoint", required = true, paramLabel = "FILE",
            description = "the signed checkpoint kept earlier (custody checkpoint show): the ledger must extend it (I09)")
    Path file;

    @Option(names = "--log-key", paramLabel = "VKEY",
            description = "verifier key of the ledger's checkpoint key, kept with it (repeatable); checked if given")
    List<String> logKeys = new ArrayList<>();

    @Option(names = "--inspector-key", paramLabel = "VKEY",
            description = "verifier key of an inspector whose cosignature is required (repeatable)")
    List<String> inspectorKeys = new ArrayList<>();

    @Option(names = "--cosignatures", paramLabel = "N",
            description = "how many of the --inspector-key inspectors must have cosigned it (default: all of them)")
    Integer cosignatures;

    @Option(names = "--skip-kept-signatures",
            description = "the checkpoint was kept after a verification: the entries it covers are checked to be the same (I09)"
                    + " and everything but their signatures, the costly part; the entries after it are checked in full"
                    + " (without a kept verification state; with one, --since checks far less again)")
    boolean skipSignatures;

    /**
     * The kept checkpoint, after checking the signatures asked for.
     *
     * @throws UserError if it cannot be read or is not vouched for as asked
     */
    Checkpoint read() {
        return read(file, logKeys, inspectorKeys, cosignatures);
    }

    /**
     * The checkpoint kept in {@code file}, after checking the signatures asked for: by one of {@code logKeys} if any
     * are given, and cosigned by {@code cosignatures} (default: all) of {@code inspectorKeys} if any are given. Shared
     * by {@code custody verify --expect-checkpoint} and {@code custody checkpoint compare}.
     *
     * @throws UserError if it cannot be read or is not vouched for as asked
     */
    static Checkpoint read(Path file, List<String> logKeys, List<String> inspectorKeys, Integer cosignatures) {
        SignedNote note = CheckpointCommand.readNote(file);
        List<NoteKey> logs = CheckpointCommand.parseKeys(logKeys, "--log-key");
        List<NoteKey> inspectors = CheckpointCommand.parseKeys(inspectorKeys, "--inspector-key");
        try {
            Checkpoint checkpoint = Checkpoint.parse(note.text());
            if (logs.isEmpty() && inspectors.isEmpty()) {
                return checkpoint;
            }
            List<NoteKey> all = new ArrayList<>(logs);
            all.addAll(inspectors);
            VerifiedNote verified = NoteVerifier.of(all).verify(note);
            if (!logs.isEmpty()) {
                verified.requireSignatures(1, logs.stream().map(NoteKey::name).toList());
            }
            if (!inspectors.isEmpty()) {
                List<String> names = inspectors.stream().map(NoteKey::name).distinct().toList();
                verified.requireCosignatures(cosignatures == null ? names.size() : cosignatures, names, Instant.EPOCH);
            }
            return checkpoint;
        } catch (MalformedNoteException | NoteVerificationException e) {
            throw new UserError("the kept checkpoint " + file + " is not vouched for: " + e.getMessage(), e);
        }
    }
}
