package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drafts file an earlier server kept beside the ledger ({@code <ledger>.drafts}, before schema 6): its open drafts,
 * with their signatures, move into the ledger's store when a server starts, and the file is removed.
 */
class DraftsFileTest {
    @TempDir
    Path dir;

    @Test
    void start_withAnOldDraftsFile_movesItsDraftsAndSignaturesIntoTheLedger_andRemovesTheFile() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.start();
            Client.Response opened = f.client("officer-k01").post("/api/v1/drafts", DraftsApiTest.draft("print", null, "P010",
                    List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
            String id = opened.json().get("id").asText();
            assertEquals(200, f.device("P010", "officer-k01").sign(id).status());
            f.server.close();
            Path side = Path.of(f.ledgerFile + ".drafts");
            // what a server before schema 6 kept: the same draft, in its side file, and nothing in the ledger
            try (Connection ledger = DriverManager.getConnection("jdbc:sqlite:" + f.ledgerFile);
                 Connection old = DriverManager.getConnection("jdbc:sqlite:" + side);
                 Statement s = old.createStatement()) {
                s.execute("CREATE TABLE custody_drafts_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, owner TEXT NOT NULL, request_hash BLOB NOT NULL,"
                        + " record BLOB NOT NULL, sites TEXT NOT NULL, opened TEXT NOT NULL, expires TEXT NOT NULL)");
                s.execute("CREATE TABLE draft_signatures (draft TEXT NOT NULL, person TEXT NOT NULL, key TEXT NOT NULL,"
                        + " sig TEXT NOT NULL, PRIMARY KEY (draft, person))");
                s.execute("INSERT INTO custody_drafts_meta VALUES ('schema_version', '1'), ('ledger', '" + f.id.value() + "')");
                try (Statement q = ledger.createStatement();
                     ResultSet d = q.executeQuery("SELECT id, owner, request_hash, record, sites, opened, expires FROM drafts");
                     PreparedStatement put = old.prepareStatement("INSERT INTO drafts VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    d.next();
                    put.setString(1, d.getString(1));
                    put.setString(2, d.getString(2));
                    put.setBytes(3, d.getBytes(3));
                    put.setBytes(4, d.getBytes(4));
                    put.setString(5, d.getString(5));
                    put.setString(6, Instant.ofEpochMilli(d.getLong(6)).toString());
                    put.setString(7, Instant.ofEpochMilli(d.getLong(7)).toString());
                    put.executeUpdate();
                }
                try (Statement q = ledger.createStatement();
                     ResultSet sig = q.executeQuery("SELECT draft, person, key, sig FROM draft_signatures");
                     PreparedStatement put = old.prepareStatement("INSERT INTO draft_signatures VALUES (?, ?, ?, ?)")) {
                    sig.next();
                    for (int i = 1; i <= 4; i++) {
                        put.setString(i, sig.getString(i));
                    }
                    put.executeUpdate();
                }
                try (Statement q = ledger.createStatement()) {
                    q.execute("DELETE FROM draft_signatures");
                    q.execute("DELETE FROM drafts");
                }
            }
            f.start();
            assertFalse(Files.exists(side), "the drafts file is removed once its drafts are in the ledger");
            Client.Response moved = f.client("officer-k01").get("/api/v1/drafts/" + id);
            assertEquals(200, moved.status(), moved.body());
            assertEquals("[\"P011\"]", moved.json().get("missing").toString(), moved.body());
            Client.Response last = f.device("P011", "officer-k01").sign(id);
            assertEquals("committed", last.json().get("state").asText(), last.body());
        }
    }
}
