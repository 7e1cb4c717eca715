package org.custody.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Files and folders made owner-only at creation whatever the umask (the build runs with 022), and the exposure check. */
class OwnerOnlyTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(OwnerOnly.posix(dir), "needs a POSIX file system");
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void createFile_new_ownerOnlyAndRefusesExisting() throws IOException {
        Path file = OwnerOnly.createFile(dir.resolve("a"));

        assertEquals("rw-------", mode(file));
        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnly.createFile(file));
    }

    @Test
    void write_new_ownerOnlyWithContentAndRefusesExisting() throws IOException {
        Path file = OwnerOnly.write(dir.resolve("a"), new byte[] {1, 2});

        assertEquals("rw-------", mode(file));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(file));
        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnly.write(file, new byte[] {3}));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(file));
    }

    @Test
    void newOutputStream_new_ownerOnly() throws IOException {
        try (OutputStream out = OwnerOnly.newOutputStream(dir.resolve("a"))) {
            out.write('x');
        }
        assertEquals("rw-------", mode(dir.resolve("a")));
    }

    @Test
    void open_created_ownerOnly() throws IOException {
        try (var channel = OwnerOnly.open(dir.resolve("lock"), EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            assertTrue(channel.isOpen());
        }
        assertEquals("rw-------", mode(dir.resolve("lock")));
    }

    @Test
    void replace_existingOpenFile_newContentOwnerOnlyNoTemporaryLeft() throws IOException {
        Path file = Files.writeString(dir.resolve("report.html"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.replace(file, "new".getBytes(StandardCharsets.UTF_8));

        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", mode(file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    @Test
    void createDirectories_missingParents_eachOwnerOnly() throws IOException {
        Path deep = OwnerOnly.createDirectories(dir.resolve("a/b"));

        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(deep));
    }

    @ParameterizedTest
    @CsvSource({"rw-r--r--", "rw-rw----", "rw----r--", "rw-----w-", "rwxr-----"})
    void exposure_othersMayReadOrChange_messageNamesChmod600InBothLanguages(String permissions) throws IOException {
        Path file = Files.writeString(dir.resolve("p.pass"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

        String message = OwnerOnly.exposure(file, "passphrase file", "口令文件").orElseThrow();

        assertEquals("the passphrase file " + file + " may be read or changed by other users (permissions " + permissions
                + "); make it private: chmod 600 " + file + " / 口令文件 " + file + " 其他用户可以读取或修改（权限 " + permissions
                + "），请执行 chmod 600 " + file + " 使其仅本人可读写", message);
        assertTrue(!message.contains("secret"));
    }

    @ParameterizedTest
    @CsvSource({"rw-------", "r--------", "rwx------", "rw---x--x"})
    void exposure_ownerOnly_none(String permissions) throws IOException {
        Path file = Files.writeString(dir.resolve("p.pass"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

        assertEquals(Optional.empty(), OwnerOnly.exposure(file, "passphrase file", "口令文件"));
    }
}
