package org.custody.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import org.custody.crypto.Hash;
import org.custody.files.OwnerOnly;

/**
 * What a witness has cosigned, per log origin: the largest size, its root and the cosignature time. Stored as text,
 *
 * <pre>
 * custody/witness-state/v1
 * &lt;origin&gt; &lt;size&gt; &lt;base64 root&gt; &lt;unix seconds&gt;
 * </pre>
 *
 * <p>one line per origin in ascending order, each ending in a newline; read strictly and replaced atomically
 * (temporary file, fsync, atomic rename, fsync of the directory).
 */
final class WitnessState {
    static final String HEADER = "custody/witness-state/v1";
    /** Largest state file read. */
    static final int MAX_BYTES = 1 << 20;

    /** The last checkpoint cosigned for one log. */
    record Entry(long size, Hash root, long timestamp) {}

    private final Map<String, Entry> entries;

    private WitnessState(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    static WitnessState empty() {
        return new WitnessState(Map.of());
    }

    Entry get(String origin) {
        return entries.get(origin);
    }

    Map<String, Entry> entries() {
        return entries;
    }

    WitnessState with(String origin, Entry entry) {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.put(origin, entry);
        return new WitnessState(next);
    }

    String text() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        entries.forEach((origin, e) -> b.append(origin).append(' ').append(e.size()).append(' ')
                .append(NoteText.base64(e.root().bytes())).append(' ').append(e.timestamp()).append('\n'));
        return b.toString();
    }

    /**
     * Parses a state file's text.
     *
     * @throws MalformedNoteException naming the bad line
     */
    static WitnessState parse(String text) {
        if (!text.endsWith("\n")) {
            throw new MalformedNoteException(0, "the state file does not end in a newline (truncated?)");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw new MalformedNoteException(1, "expected '" + HEADER + "'");
        }
        TreeMap<String, Entry> entries = new TreeMap<>();
        String previous = null;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ", -1);
            if (f.length != 4) {
                throw new MalformedNoteException(i + 1, "expected '<origin> <size> <root> <time>'");
            }
            String problem = Checkpoint.originProblem(f[0]);
            if (problem != null) {
                throw new MalformedNoteException(i + 1, "origin " + problem);
            }
            if (previous != null && previous.compareTo(f[0]) >= 0) {
                throw new MalformedNoteException(i + 1, "origins are not in ascending order without repeats");
            }
            byte[] root = NoteText.canonicalBase64(f[2]);
            if (root == null || root.length != Hash.LENGTH) {
                throw new MalformedNoteException(i + 1, "root is not canonical base64 of 32 bytes");
            }
            entries.put(f[0], new Entry(number(f[1], i + 1), Hash.of(root), number(f[3], i + 1)));
            previous = f[0];
        }
        return new WitnessState(entries);
    }

    private static long number(String s, int line) {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')
                || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new MalformedNoteException(line, "'" + s + "' is not a decimal number without leading zeros");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedNoteException(line, s + " is 2^63 or more");
        }
    }

    static WitnessState read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new WitnessStateException("witness state " + file + " is " + size + " bytes, more than " + MAX_BYTES);
            }
            return parse(NoteText.decode(Files.readAllBytes(file)));
        } catch (MalformedNoteException e) {
            throw new WitnessStateException("witness state " + file + " is not in its format: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new WitnessStateException("cannot read witness state " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this state to {@code file} durably and atomically: readers see the old or the new state, never a mix,
     * and after a crash the file holds one of them.
     */
    void write(Path file, boolean createNew) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (createNew && Files.exists(file)) {
                throw new WitnessStateException("witness state " + file + " exists already; open it instead");
            }
            Files.deleteIfExists(tmp); // left by a crash; made anew so that it is owner-only
            try (FileChannel out = OwnerOnly.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                ByteBuffer bytes = ByteBuffer.wrap(text().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new WitnessStateException("cannot write witness state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename durable. Windows cannot open a directory; there the rename is as durable as NTFS makes it. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (AccessDeniedException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }
}
