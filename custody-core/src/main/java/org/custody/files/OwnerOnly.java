package org.custody.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Creating files and folders that only their owner may read or write ({@code rw-------}, {@code rwx------}), set at
 * creation rather than after the content is written, and refusing secret files that others may read or change.
 * Where the file system has no POSIX permissions (Windows), files are created plainly and no file is refused.
 */
public final class OwnerOnly {
    /** The permissions of every file Custody creates. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The permissions of every folder Custody creates. */
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private OwnerOnly() {}

    /** Whether {@code path}'s file system has POSIX permissions. */
    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    /**
     * Creates the empty file {@code file}, owner-only; fails if it exists.
     *
     * @throws FileAlreadyExistsException if {@code file} exists
     */
    public static Path createFile(Path file) throws IOException {
        Files.createFile(file, attributes(file, FILE));
        if (posix(file)) {
            Files.setPosixFilePermissions(file, FILE); // exactly rw-------, whatever the umask took away
        }
        return file;
    }

    /** Creates the folder {@code dir} and any missing parents, each new one owner-only; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, attributes(dir, FOLDER));
    }

    /**
     * Opens a new owner-only file for writing; fails if it exists.
     *
     * @throws FileAlreadyExistsException if {@code file} exists
     */
    public static OutputStream newOutputStream(Path file) throws IOException {
        return Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes(file, FILE)));
    }

    /** Opens {@code file} as {@link FileChannel#open(Path, Set, FileAttribute[])} does; a file it creates is owner-only. */
    public static FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return FileChannel.open(file, options, attributes(file, FILE));
    }

    /**
     * Writes {@code bytes} to a new owner-only file; fails if it exists.
     *
     * @throws FileAlreadyExistsException if {@code file} exists
     */
    public static Path write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /** Creates a new empty owner-only file in {@code dir} with a random name between {@code prefix} and {@code suffix}. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, attributes(dir, FILE));
    }

    /**
     * Writes {@code bytes} to a new owner-only temporary file beside {@code file}, forces it to disk and renames it to
     * {@code file}, replacing what was there: readers see the old content or the new, never a mix.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Why the secret file {@code file} must not be used, if users other than its owner may read or change it: a
     * message in English and Chinese naming the file, its permissions and {@code chmod 600}. Empty if only the owner
     * may, or if the file system has no POSIX permissions.
     *
     * @param what   what the file is, in English, e.g. "key file"
     * @param whatZh the same in Chinese, e.g. "密钥文件"
     * @throws IOException if the file's permissions cannot be read (it is missing, for example)
     */
    public static Optional<String> exposure(Path file, String what, String whatZh) throws IOException {
        if (!posix(file)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> open = EnumSet.copyOf(OPEN);
        open.retainAll(permissions);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String mode = PosixFilePermissions.toString(permissions);
        return Optional.of("the " + what + " " + file + " may be read or changed by other users (permissions " + mode
                + "); make it private: chmod 600 " + file + " / " + whatZh + " " + file + " 其他用户可以读取或修改（权限 " + mode
                + "），请执行 chmod 600 " + file + " 使其仅本人可读写");
    }
}
