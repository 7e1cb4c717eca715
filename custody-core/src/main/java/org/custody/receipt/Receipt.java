package org.custody.receipt;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/**
 * What a handoff receipt's QR code says: the ledger, the entry's position ({@code seq}, its leaf index in the ledger's
 * Merkle tree) and hash, and, if a checkpoint covered the entry when the receipt was printed, that checkpoint's size
 * and root. On paper it is one line of printable ASCII (docs/formats.md §13):
 * {@code CUSTODYR1/<ledger>/<seq>/<HASH>/<size>/<ROOT>/<CRC>}, hashes in upper-case hex and {@code -} for both
 * checkpoint fields when none covered the entry; with upper-case ids every character is in the QR alphanumeric set.
 *
 * <p>The receipt is not signed: it is verifiable, against the ledger (or a bundle, or evidence), which holds the
 * entry's signatures and the signed checkpoints. The closing CRC-32 only catches a payload changed by hand or
 * typed wrongly (any change of one character is caught); it is no protection against a forger, the ledger is.
 *
 * @param ledger         the ledger id
 * @param seq            the entry's position, 0 to {@link Entry#MAX_SEQ}
 * @param entry          the entry's hash (docs/formats.md §5)
 * @param checkpointSize the size of the checkpoint that covered the entry, greater than {@code seq}, or 0 for none
 * @param checkpointRoot that checkpoint's root hash, or {@code null} exactly when {@code checkpointSize} is 0
 */
public record Receipt(LedgerId ledger, long seq, Hash entry, long checkpointSize, Hash checkpointRoot) {
    /** The first characters of every version-1 payload. */
    public static final String PREFIX = "CUSTODYR1/";
    /** The longest valid payload: a 64-character id, two 16-digit numbers, two hashes and the check. */
    public static final int MAX_LENGTH = PREFIX.length() + 64 + 1 + 16 + 1 + 64 + 1 + 16 + 1 + 64 + 1 + 8;
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,15}");
    private static final Pattern HASH = Pattern.compile("[0-9A-F]{64}");
    private static final Pattern CHECK = Pattern.compile("[0-9A-F]{8}");
    private static final Pattern OTHER_VERSION = Pattern.compile("CUSTODYR[0-9]+/.*", Pattern.DOTALL);

    public Receipt {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(entry, "entry");
        if (seq < 0 || seq > Entry.MAX_SEQ) {
            throw new MalformedInputException("a receipt's entry number is 0 to " + Entry.MAX_SEQ + ", got " + seq);
        }
        if ((checkpointSize == 0) != (checkpointRoot == null)) {
            throw new MalformedInputException("a receipt names a checkpoint by both its size and its root, or neither");
        }
        if (checkpointSize != 0 && (checkpointSize <= seq || checkpointSize > Entry.MAX_SEQ + 1)) {
            throw new MalformedInputException("the checkpoint of a receipt of entry " + seq + " has more than " + seq
                    + " entries (and at most " + (Entry.MAX_SEQ + 1) + "), got size " + checkpointSize);
        }
    }

    /** A receipt of an entry no checkpoint covers yet. */
    public static Receipt of(LedgerId ledger, long seq, Hash entry) {
        return new Receipt(ledger, seq, entry, 0, null);
    }

    /** Whether the receipt names a checkpoint that covered the entry. */
    public boolean inCheckpoint() {
        return checkpointSize != 0;
    }

    /** The payload printed in the QR code. */
    public String payload() {
        String body = PREFIX + ledger.value() + "/" + seq + "/" + upper(entry) + "/"
                + (inCheckpoint() ? checkpointSize + "/" + upper(checkpointRoot) : "-/-") + "/";
        return body + check(body);
    }

    /**
     * Reads a payload exactly as printed: no surrounding whitespace or line end (strip a scanner's line end first).
     *
     * @throws MalformedInputException naming the part that is wrong
     */
    public static Receipt parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            throw malformed("is empty");
        }
        if (payload.length() > MAX_LENGTH) {
            throw malformed("is " + payload.length() + " characters; a receipt has at most " + MAX_LENGTH);
        }
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw malformed(String.format(Locale.ROOT, "character %d is U+%04X: a receipt is printable ASCII without "
                        + "spaces or line ends", i + 1, (int) c));
            }
        }
        if (!payload.startsWith(PREFIX)) {
            if (OTHER_VERSION.matcher(payload).matches()) {
                throw malformed("is format version " + payload.substring(8, payload.indexOf('/'))
                        + "; this program reads version 1 (" + PREFIX + ")");
            }
            throw malformed("is not a Custody receipt: it must start with " + PREFIX
                    + (payload.startsWith("CUSTODY1/") ? " (this is a bag label: use custody scan)" : ""));
        }
        int last = payload.lastIndexOf('/');
        String body = payload.substring(0, last + 1);
        String check = payload.substring(last + 1);
        if (!CHECK.matcher(check).matches()) {
            throw malformed("its check '" + check + "' is not 8 upper-case hex digits");
        }
        if (!check.equals(check(body))) {
            throw malformed("its check " + check + " does not match the rest (expected " + check(body)
                    + "): the payload was changed or misread; photograph the receipt again or compare it by eye");
        }
        String[] parts = body.substring(PREFIX.length(), body.length() - 1).split("/", -1);
        if (parts.length != 5) {
            throw malformed("has " + parts.length + " fields between " + PREFIX + " and the check; expected 5: "
                    + "ledger/seq/hash/size/root");
        }
        LedgerId ledger;
        try {
            ledger = LedgerId.of(parts[0]);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw malformed("ledger: " + e.getMessage());
        }
        long seq = number("entry number", parts[1]);
        Hash entry = hash("entry hash", parts[2]);
        if (parts[3].equals("-") != parts[4].equals("-")) {
            throw malformed("names a checkpoint by both size and root, or by '-' for both; got '" + parts[3] + "' and '"
                    + parts[4] + "'");
        }
        try {
            return parts[3].equals("-") ? of(ledger, seq, entry)
                    : new Receipt(ledger, seq, entry, number("checkpoint size", parts[3]), hash("checkpoint root", parts[4]));
        } catch (MalformedInputException e) {
            throw malformed(e.getMessage());
        }
    }

    private static long number(String what, String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw malformed(what + " '" + text + "' is not 0 or a decimal number without leading zeros (at most 16 digits)");
        }
        long n = Long.parseLong(text);
        if (n > Entry.MAX_SEQ + 1) {
            throw malformed(what + " " + text + " is too large");
        }
        return n;
    }

    private static Hash hash(String what, String text) {
        if (!HASH.matcher(text).matches()) {
            throw malformed(what + " '" + text + "' is not 64 upper-case hex digits");
        }
        return Hash.fromHex(text.toLowerCase(Locale.ROOT));
    }

    private static String upper(Hash h) {
        return h.hex().toUpperCase(Locale.ROOT);
    }

    /** CRC-32 (ISO-HDLC, as zlib's crc32) of the ASCII {@code body}, 8 upper-case hex digits. */
    static String check(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().withUpperCase().toHexDigits((int) crc.getValue());
    }

    private static MalformedInputException malformed(String message) {
        return new MalformedInputException("receipt payload " + message);
    }

    @Override
    public String toString() {
        return payload();
    }
}
