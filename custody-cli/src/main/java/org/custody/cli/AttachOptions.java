package org.custody.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.record.Attachment;
import picocli.CommandLine.Option;

/**
 * {@code --attach FILE[=MEDIA/TYPE]}, shared by {@code custody handoff} and {@code custody incident}: each file taken at the
 * scene is hashed here (with the ledger's hash) and only its digest, size, media type and name go into the record.
 */
final class AttachOptions {
    /** Media types by file extension (lowercase), for what cameras and phones at a handoff take; anything else needs =TYPE. */
    static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("heic", "image/heic"), Map.entry("heif", "image/heif"), Map.entry("webp", "image/webp"),
            Map.entry("gif", "image/gif"), Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("mov", "video/quicktime"),
            Map.entry("avi", "video/x-msvideo"), Map.entry("mkv", "video/x-matroska"), Map.entry("ts", "video/mp2t"),
            Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("wav", "audio/wav"), Map.entry("amr", "audio/amr"), Map.entry("pdf", "application/pdf"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("json", "application/json"));
    /** What a file of an extension not in {@link #MEDIA_TYPES} is recorded as. */
    static final String UNKNOWN = "application/octet-stream";

    @Option(names = "--attach", paramLabel = "FILE[=MEDIA/TYPE]",
            description = "a file taken at the scene (现场照片、录像): its digest, size, media type and name go into the record, the"
                    + " file stays with the evidence (repeatable; 'custody verify --attachments DIR' finds it again). The media"
                    + " type comes from the extension (jpg, png, heic, mp4, mov, …) unless given after =, e.g. cam01.dav=video/x-dav")
    List<String> attach = new ArrayList<>();

    /** The attachments, hashed with {@code alg}; a note on {@code err} for each file whose type had to be assumed. */
    List<Attachment> read(HashAlgorithm alg, PrintWriter err) {
        List<Attachment> out = new ArrayList<>();
        for (String spec : attach) {
            String shown = Attachment.printable(spec);
            Path file = Path.of(spec);
            String type = null;
            int eq = spec.lastIndexOf('=');
            if (!Files.exists(file) && eq > 0) {
                file = Path.of(spec.substring(0, eq));
                type = spec.substring(eq + 1);
            }
            if (type == null) {
                type = guess(file);
                if (type.equals(UNKNOWN)) {
                    err.println("note: --attach " + shown + ": no media type known for its extension; recorded as " + UNKNOWN
                            + " (give FILE=MEDIA/TYPE to say what it is)");
                }
            }
            try {
                out.add(Attachment.ofFile(file, alg, type));
            } catch (MalformedInputException e) {
                throw new UserError("--attach " + shown + ": " + e.getMessage() + ". Nothing was stored (附件无效，未保存)");
            } catch (IOException e) {
                throw new UserError("--attach " + shown + ": cannot read it (" + Attachment.printable(String.valueOf(e.getMessage()))
                        + "); check the path."
                        + " Nothing was stored (无法读取附件，未保存)", e);
            }
        }
        return out;
    }

    /** The media type of {@code file} by its extension, or {@link #UNKNOWN}. */
    static String guess(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? UNKNOWN : MEDIA_TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }

    /** Lines listing {@code attachments} under a recorded entry. */
    static void print(PrintWriter out, List<Attachment> attachments) {
        for (Attachment a : attachments) {
            out.println("  attached 附件 " + a.describe());
        }
    }
}
