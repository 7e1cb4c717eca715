package org.custody.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder the station watches for photos of labels ({@code custody station --watch DIR}): a phone or camera drops an
 * image file into it, the station reads the QR codes in it ({@link ScanCommand#decode}, the {@code scan} verb's ZXing
 * reading of distorted photos) and takes each as a scan. Nothing is deleted: a file whose every label was taken is moved
 * to {@code DIR/scanned/}, any other (no label read, not an image, a label refused) to {@code DIR/rejected/}, each
 * reported on the screen. A file is taken once its size and time stood still between two looks, so a photo still being
 * copied in is not read half-written. Hidden files (a name starting with '.') and folders are left alone.
 */
final class CameraFolder {
    static final String SCANNED = "scanned";
    static final String REJECTED = "rejected";

    private final Path dir;
    /** Size and time of each file at the last look, to take it only when it stopped changing. */
    private final Map<Path, String> lastLook = new HashMap<>();

    private CameraFolder(Path dir) {
        this.dir = dir;
    }

    /** Watches {@code dir}, which must be a folder; its {@code scanned} and {@code rejected} folders are made if missing. */
    static CameraFolder watch(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("--watch " + dir + " is not a folder: give the folder the camera's photos are copied into"
                    + " (监视的文件夹不存在)");
        }
        try {
            Files.createDirectories(dir.resolve(SCANNED));
            Files.createDirectories(dir.resolve(REJECTED));
        } catch (IOException e) {
            throw new UserError("cannot make " + dir.resolve(SCANNED) + " and " + dir.resolve(REJECTED) + ": " + e.getMessage()
                    + " (无法创建已处理文件夹)");
        }
        return new CameraFolder(dir);
    }

    Path dir() {
        return dir;
    }

    /** One photo taken: the scans it gave (one per label in it, or one ✗ when none was read) and where it was moved. */
    record Taken(String file, List<Station.Scan> scans, Path movedTo) {
        boolean ok() {
            return scans.stream().allMatch(Station.Scan::ok);
        }
    }

    /** Takes every photo that stopped changing since the last look, in name order, as scans of {@code station}. */
    List<Taken> poll(Station station) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        lastLook.keySet().retainAll(files);
        List<Taken> out = new ArrayList<>();
        for (Path file : files) {
            String look = look(file);
            if (look == null || !look.equals(lastLook.put(file, look))) {
                continue; // new or still changing: look again next time
            }
            lastLook.remove(file);
            out.add(take(file, station));
        }
        return out;
    }

    private static String look(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return Files.size(file) + "@" + time.toMillis();
        } catch (IOException e) {
            return null; // gone meanwhile
        }
    }

    private Taken take(Path file, Station station) {
        String name = file.getFileName().toString();
        ScanCommand.Decoded d = ScanCommand.decode(file);
        List<Station.Scan> scans = new ArrayList<>();
        if (d.error() != null) {
            scans.add(station.unreadable(name, "photo " + name + ": " + d.error() + " (照片中未能识别标签，已移至 " + REJECTED + ")"));
        } else {
            for (String payload : d.payloads()) {
                scans.add(station.scan(payload, name));
            }
        }
        boolean ok = scans.stream().allMatch(Station.Scan::ok);
        return new Taken(name, scans, moveAside(file, ok ? SCANNED : REJECTED));
    }

    /** Moves {@code file} into {@code DIR/to/}, never over another file (a name taken gets "-2", "-3", ... before its extension). */
    private Path moveAside(Path file, String to) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; ; n++) {
            Path target = dir.resolve(to).resolve(n == 1 ? name : stem + "-" + n + ext);
            try {
                // no ATOMIC_MOVE: on Linux it is rename(2), which would replace a file of the same name moved aside before
                return Files.move(file, target);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: try the next name
            } catch (IOException e) {
                if (Files.exists(target)) {
                    continue;
                }
                throw new UserError("cannot move " + file + " to " + target + ": " + e.getMessage() + " (无法移动已处理的照片)");
            }
        }
    }
}
