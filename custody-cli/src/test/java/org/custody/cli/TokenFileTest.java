package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bearer token file is refused when any user but its owner may read or change it, and read when only its owner may. */
class TokenFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw--w----", "rw----r--", "rw-----w-", "rw-rw-rw-"})
    void groupOrOthersMayReadOrWrite_refused(String permissions) throws Exception {
        Path file = token(permissions);
        UserError e = assertThrows(UserError.class, () -> Api.token(file, Map.of()));
        assertTrue(e.getMessage().contains(permissions) && e.getMessage().contains("chmod 600 " + file), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-------", "r--------"})
    void onlyTheOwnerMayRead_read(String permissions) throws Exception {
        Path file = token(permissions);
        assertEquals("cust_abc", assertDoesNotThrow(() -> Api.token(file, Map.of())));
    }

    private Path token(String permissions) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "cust_abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
