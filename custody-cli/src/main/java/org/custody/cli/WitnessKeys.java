package org.custody.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.WitnessQuorum;
import org.custody.failure.MalformedInputException;

/** Witness verifier keys given on the command line, as the key text or a file holding it, and the quorum over them. */
final class WitnessKeys {
    private WitnessKeys() {}

    /** One witness verifier key: {@code arg} itself, or the first non-blank line of the file it names. */
    static NoteKey read(String arg) {
        List<String> lines = keysOrFile(arg, "witness key");
        String text = lines.isEmpty() ? "" : lines.get(0);
        try {
            return NoteKey.parse(text);
        } catch (MalformedNoteException e) {
            throw new UserError("--witness " + arg + " is not a witness verifier key <name>+<key id>+<base64>, nor a file"
                    + " holding one: " + e.getMessage() + " (见证公钥格式错误)", e);
        }
    }

    /**
     * Verifier keys given as {@code arg}: the key text itself, or the non-blank lines of the file it names.
     *
     * @param what what the keys are, for the message if the file cannot be read
     */
    static List<String> keysOrFile(String arg, String what) {
        Path file = null;
        try {
            file = Path.of(arg);
        } catch (java.nio.file.InvalidPathException notAFile) {
            // the key text itself
        }
        if (file == null || !Files.isRegularFile(file)) {
            return List.of(arg);
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UserError("cannot read the " + what + " file " + file + ": " + e.getMessage() + " (无法读取公钥文件)", e);
        }
    }

    /** The quorum of {@code quorum} (all if null) of the witnesses given. */
    static WitnessQuorum quorum(List<String> args, Integer quorum) {
        List<NoteKey> keys = new ArrayList<>();
        args.forEach(a -> keys.add(read(a)));
        try {
            return quorum == null ? WitnessQuorum.all(keys) : new WitnessQuorum(keys, quorum);
        } catch (MalformedInputException e) {
            throw new UserError(e.getMessage() + " (见证签名要求有误)", e);
        }
    }
}
