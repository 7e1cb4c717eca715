package org.custody.ledger;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.custody.audit.AuditReport;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.postgres.StoreCopy;
import org.custody.ledger.verify.LedgerVerifier;

/**
 * Moves a ledger between stores ({@code custody migrate}): a SQLite file to a PostgreSQL schema or back. The stored
 * rows are copied as they are ({@link StoreCopy}), then the copy is verified in full, every stored index included,
 * and its export bundle compared with the source's, byte for byte. The source is left as it was (a SQLite file of an
 * older schema version is upgraded first, as opening it does).
 */
public final class Migration {
    private Migration() {}

    /**
     * What a migration did: the entries copied, the copy's verification, and the SHA-256 of the export bundle that
     * source and copy both give.
     */
    public record Migrated(long entries, AuditReport report, String bundleSha256) {}

    /**
     * Copies the ledger at {@code from} to {@code to}, which must hold none, verifies the copy and compares its bundle
     * with the source's; {@code progress} gets the entries copied so far.
     *
     * @throws LedgerStoreException if either end cannot be used, {@code to} holds a ledger already, or the copy's bundle
     *                              differs from the source's
     */
    public static Migrated copy(LedgerLocation from, LedgerLocation to, LongConsumer progress) {
        if (from.toString().equals(to.toString())) {
            throw new LedgerStoreException("cannot migrate " + from + " onto itself; name another place to copy it to");
        }
        // the copy reads the current schema only: opening upgrades an older file, as any command does
        Ledger.open(from).close();
        long entries = StoreCopy.copy(end(from), end(to), progress);
        AuditReport report = Ledger.verify(to, LedgerVerifier.Options.defaults(), null);
        byte[] source = bundleDigest(from);
        byte[] copy = bundleDigest(to);
        if (!Arrays.equals(source, copy)) {
            throw new LedgerStoreException("the copy at " + to + " differs from " + from + " (export bundles of SHA-256 "
                    + HexFormat.of().formatHex(copy) + " and " + HexFormat.of().formatHex(source) + "); do not use the copy");
        }
        return new Migrated(entries, report, HexFormat.of().formatHex(source));
    }

    private static StoreCopy.End end(LedgerLocation location) {
        return location instanceof LedgerLocation.Database d
                ? new StoreCopy.End(null, d.url()) : new StoreCopy.End(((LedgerLocation.File) location).path(), null);
    }

    private static byte[] bundleDigest(LedgerLocation location) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            if (location instanceof LedgerLocation.Database d) {
                Bundle.export(d.url(), out);
            } else {
                Bundle.export(((LedgerLocation.File) location).path(), out);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sha256.digest();
    }
}
