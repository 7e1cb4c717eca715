package org.custody.ledger.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.custody.audit.AttachmentTally;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.sqlite.Meta;
import org.custody.model.BagId;
import org.custody.record.Attachment;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Record;

/**
 * Checks the files taken at the scene against the ledger ({@code custody verify --attachments DIR}): every attachment a
 * handoff or incident carries must be a file under {@code DIR}, found by its digest and size alone (every regular file
 * under it is hashed once; names are never trusted to find a file, and links are not followed). An attachment whose
 * bytes are nowhere is I13: "altered" when a file of the name it was taken under is there with other bytes, "missing"
 * otherwise. Entries that cannot be decoded are skipped here (the ledger's verification reports them, I01).
 */
public final class AttachmentAudit {
    private AttachmentAudit() {}

    /** What the check found: the counts, and one I13 per attachment missing or altered, in ledger order. */
    public record Result(AttachmentTally tally, List<Finding> findings) {
        public Result {
            findings = List.copyOf(findings);
        }
    }

    /** An attachment and the entry that carries it. */
    private record Carried(long seq, Hash entry, Record record, Attachment attachment) {}

    /** A file under the folder: its path relative to it, and its digests and size. */
    private record Scanned(String path, Map<HashAlgorithm, HashAlgorithm.Streamed> digests) {}

    /**
     * Checks the attachments of every entry {@code source} holds against the files under {@code folder}, and closes
     * {@code source}.
     *
     * @throws MalformedInputException if {@code folder} is not a folder
     * @throws IOException             if the folder cannot be walked
     */
    public static Result check(EntrySource source, Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new MalformedInputException(folder + " is not a folder: give the folder that holds the files taken at the scene"
                    + " (证据文件目录不存在)");
        }
        List<Carried> carried = new ArrayList<>();
        try (source) {
            Meta meta = source.meta(damage -> { });
            HashAlgorithm ledgerHash = meta.suite().hash();
            source.entries((position, body, row) -> {
                Entry entry;
                try {
                    entry = Entry.decode(body);
                } catch (MalformedInputException e) {
                    return; // I01, reported by the ledger's verification
                }
                for (Attachment a : entry.record().attachments()) {
                    carried.add(new Carried(entry.seq(), entry.hash(ledgerHash), entry.record(), a));
                }
            });
        }
        Set<HashAlgorithm> algorithms = EnumSet.noneOf(HashAlgorithm.class);
        carried.forEach(c -> algorithms.add(c.attachment().alg()));
        Map<List<Object>, Scanned> byDigest = new HashMap<>();
        Map<String, List<Scanned>> byName = new HashMap<>();
        List<String> unreadable = new ArrayList<>();
        long files = 0;
        if (!algorithms.isEmpty()) {
            for (Path file : regularFiles(folder)) {
                String relative = folder.relativize(file).toString();
                Map<HashAlgorithm, HashAlgorithm.Streamed> digests;
                try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                    digests = HashAlgorithm.digest(in, algorithms);
                } catch (IOException e) {
                    unreadable.add(relative);
                    continue;
                }
                files++;
                Scanned scanned = new Scanned(relative, digests);
                digests.forEach((alg, d) -> byDigest.putIfAbsent(List.of(alg, d.digest(), d.size()), scanned));
                byName.computeIfAbsent(file.getFileName().toString(), n -> new ArrayList<>()).add(scanned);
            }
        }
        long found = 0;
        long missing = 0;
        long altered = 0;
        List<Finding> findings = new ArrayList<>();
        for (Carried c : carried) {
            Attachment a = c.attachment();
            if (byDigest.containsKey(List.of(a.alg(), a.digest(), a.size()))) {
                found++;
                continue;
            }
            List<Scanned> named = a.name() == null ? List.of() : byName.getOrDefault(a.name(), List.of());
            Finding f;
            if (named.isEmpty()) {
                missing++;
                f = finding(c, "attachment " + a.describe() + " of entry #" + c.seq() + " is not among the " + files
                                + " files under " + Attachment.printable(folder.toString()) + " (no file has its digest and size)",
                        "第 " + c.seq() + " 条记录所附证据文件 " + a.describe() + " 不在所给目录中（无文件与其摘要和大小相符）")
                        .comparing(a.alg().wire() + " " + a.digest().hex() + ", " + a.size() + " bytes", "no such file");
            } else {
                altered++;
                Scanned other = named.get(0);
                HashAlgorithm.Streamed actual = other.digests().get(a.alg());
                f = finding(c, "the file " + Attachment.printable(other.path()) + " has the name attachment " + a.describe()
                                + " of entry #" + c.seq() + " was taken under, but other bytes: the evidence was altered or replaced"
                                + (named.size() > 1 ? " (" + named.size() + " files of that name, none with its bytes)" : ""),
                        "文件 " + Attachment.printable(other.path()) + " 与第 " + c.seq() + " 条记录所附证据文件同名，但内容不符：证据被改动或替换")
                        .comparing(a.alg().wire() + " " + a.digest().hex() + ", " + a.size() + " bytes",
                                a.alg().wire() + " " + actual.digest().hex() + ", " + actual.size() + " bytes");
            }
            findings.add(f);
        }
        return new Result(new AttachmentTally(carried.size(), found, missing, altered, files, unreadable), findings);
    }

    private static Finding finding(Carried c, String english, String chinese) {
        List<BagId> bags = c.record().moves().stream().map(BagMove::bag).toList();
        return new Finding(FindingCode.I13, c.seq(), c.entry(), c.record().at(), bags, c.record().parties(), english, chinese,
                null, null);
    }

    /** Every regular file under {@code folder} (links are neither followed nor hashed), in path order. */
    private static List<Path> regularFiles(Path folder) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> files.put(p.toString(), p));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return List.copyOf(files.values());
    }
}
