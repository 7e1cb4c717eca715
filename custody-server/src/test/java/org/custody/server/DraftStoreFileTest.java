package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.custody.model.LedgerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drafts file beside a ledger, and SQLite's side files, are owner-only whatever the umask (the build runs with 022). */
class DraftStoreFileTest {
    @TempDir
    Path dir;

    @Test
    void open_newDraftsFile_itAndSqliteSideFilesOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        Path file = dir.resolve("exam.db.drafts");
        try (DraftStore store = DraftStore.open(file, LedgerId.of("HN-ZSB-2021"))) {
            assertEquals(0, store.load().size());
            for (Path p : new Path[] {file, Path.of(file + "-wal"), Path.of(file + "-shm")}) {
                assertTrue(Files.exists(p), p + " exists while the store is open");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        try (DraftStore again = DraftStore.open(file, LedgerId.of("HN-ZSB-2021"))) {
            assertEquals(0, again.load().size());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "reopened as it is");
        }
    }
}
