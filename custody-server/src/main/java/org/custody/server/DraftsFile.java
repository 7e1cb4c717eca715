package org.custody.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.PersonId;
import org.custody.store.KeptDraft;
import org.sqlite.SQLiteConfig;

/**
 * The drafts file that servers before schema 6 kept beside a ledger file ({@code <ledger>.drafts}, a small SQLite file:
 * {@code drafts} and {@code draft_signatures}). Its drafts move into the ledger's store when a server starts on the
 * ledger, with their signatures, and the file is then removed; a draft the store keeps already is left as it is there.
 */
final class DraftsFile {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DraftsFile.class);

    private DraftsFile() {}

    /** Moves the drafts of {@code file}, if there is one, into {@code ledger}'s store and removes the file. */
    static void moveInto(Path file, Ledger ledger) {
        if (!Files.exists(file)) {
            return;
        }
        List<KeptDraft> drafts;
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            String owner = meta(c, "ledger");
            if (!ledger.id().value().equals(owner)) {
                throw new LedgerStoreException("drafts file " + file + " belongs to ledger " + owner + ", not to ledger "
                        + ledger.id() + "; move it away / 草稿文件 " + file + " 不属于账本 " + ledger.id() + "，请移走");
            }
            drafts = read(c);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read drafts file " + file + ": " + e.getMessage(), e);
        }
        for (KeptDraft d : drafts) {
            if (ledger.drafts().open(d)) {
                for (KeptDraft.KeptSignature s : d.signatures()) {
                    ledger.drafts().sign(d.id(), s.person(), s.signature(), d.opened());
                }
            }
        }
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                LOG.warn("cannot remove {} (its drafts are in the ledger now): {}", file + suffix, e.getMessage());
            }
        }
        LOG.info("moved {} drafts from {} into the ledger's store", drafts.size(), file);
    }

    private static String meta(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM custody_drafts_meta WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<KeptDraft> read(Connection c) throws SQLException {
        List<KeptDraft> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, owner, request_hash, record, sites, opened, expires FROM drafts ORDER BY rowid");
             PreparedStatement sigs = c.prepareStatement("SELECT person, key, sig FROM draft_signatures WHERE draft = ? ORDER BY rowid")) {
            while (rs.next()) {
                String id = rs.getString(1);
                List<KeptDraft.KeptSignature> signatures = new ArrayList<>();
                sigs.setString(1, id);
                try (ResultSet r = sigs.executeQuery()) {
                    while (r.next()) {
                        signatures.add(new KeptDraft.KeptSignature(PersonId.of(r.getString(1)),
                                Signature.fromBase64(KeyId.of(r.getString(2)), r.getString(3))));
                    }
                }
                byte[] record = rs.getBytes(4);
                out.add(new KeptDraft(id, org.custody.record.RecordCodec.decode(record).id().value(), rs.getString(2),
                        Hash.of(rs.getBytes(3)), record, new HashSet<>(Arrays.asList(rs.getString(5).split(","))),
                        Instant.parse(rs.getString(6)), Instant.parse(rs.getString(7)), KeptDraft.OPEN, null, null, signatures));
            }
        }
        return out;
    }
}
