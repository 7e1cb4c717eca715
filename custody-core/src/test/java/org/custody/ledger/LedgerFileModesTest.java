package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.custody.crypto.Suite;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.bundle.BundleTest;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Cast;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger holds recusal reasons the server hides from officers: the ledger file and the {@code -wal} and {@code -shm}
 * files SQLite makes beside it are owner-only whatever the umask (the build runs with 022).
 */
class LedgerFileModesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void create_ledgerAndSqliteSideFiles_ownerOnly() throws IOException {
        Cast cast = new Cast(Suite.ED25519_SHA256, 1);
        Path file = dir.resolve("exam.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            ledger.append(cast.sign(LedgerTest.register(cast)));
            Path wal = Path.of(file + "-wal");
            Path shm = Path.of(file + "-shm");
            assertTrue(Files.exists(wal) && Files.exists(shm), "SQLite keeps its WAL files while the ledger is open");

            assertEquals("rw-------", mode(file));
            assertEquals("rw-------", mode(wal));
            assertEquals("rw-------", mode(shm));
        }
        try (Ledger reopened = Ledger.open(file)) {
            assertEquals(2, reopened.head().size());
            assertEquals("rw-------", mode(Path.of(file + "-wal")), "side files made again on opening follow the ledger file");
        }
    }

    @Test
    void verify_bundleStream_copiedToAnOwnerOnlyFileOnly_andRemoved() throws IOException {
        Cast cast = new Cast(Suite.ED25519_SHA256, 2);
        Path file = dir.resolve("exam.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            ledger.append(cast.sign(LedgerTest.register(cast)));
        }
        Path work = Files.createDirectory(dir.resolve("work"));
        Map<String, String> seen = new TreeMap<>();
        LongConsumer progress = n -> {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    seen.put(f.getFileName().toString().replaceAll("bundle-\\d+", "bundle-N"), mode(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        Bundle.verify(new ByteArrayInputStream(BundleTest.export(file)), work,
                new LedgerVerifier.Options(null, progress, f -> { }, 1), null);

        assertEquals(Map.of("bundle-N.txt", "rw-------"), seen,
                "the stream's copy, seen while it is verified: owner-only, and no database beside it");
        try (var left = Files.list(work)) {
            assertEquals(0, left.count(), "the copy is deleted");
        }
    }
}
