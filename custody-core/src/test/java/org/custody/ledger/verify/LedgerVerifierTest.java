package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerTest;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.record.Entry;
import org.custody.record.MalformedRecordException;
import org.custody.testing.Cast;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerVerifierTest {
    @TempDir
    Path dir;

    /** A two-entry ledger whose second stored body is replaced by {@code body}, as damage or tampering would. */
    private Path ledgerWithBody(byte[] body) throws SQLException {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        Path file = dir.resolve("ledger.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            ledger.append(cast.sign(LedgerTest.register(cast)));
        }
        try (Connection c = Sqlite.writer(file); PreparedStatement s = c.prepareStatement("UPDATE entries SET body = ? WHERE seq = 1")) {
            s.setBytes(1, body);
            assertEquals(1, s.executeUpdate());
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "3", "\"entry\"", "true", "[]"})
    void verify_storedBodyNotAnObject_reportsI01AndGoesOn(String body) throws SQLException {
        Path file = ledgerWithBody(body.getBytes(StandardCharsets.UTF_8));
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(2, report.entries());
        List<Finding> i01 = report.findings(FindingCode.I01);
        assertEquals(1, i01.size(), report.findings().toString());
        assertEquals(1, i01.get(0).seq());
        assertEquals(AuditReport.EXIT_INTEGRITY, report.exitStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "3", "\"entry\""})
    void decode_notAnObject_throwsMalformedRecord(String body) {
        assertThrows(MalformedRecordException.class, () -> Entry.decode(body.getBytes(StandardCharsets.UTF_8)));
    }
}
