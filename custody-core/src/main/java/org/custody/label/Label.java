package org.custody.label;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/**
 * What a bag's QR label says: the ledger, the bag, the sequence number of the bag's seal entry, and a tag
 * that binds the three to that entry's hash (see {@link LabelTag}). On the label it is one line of printable
 * ASCII, {@code CUSTODY1/<ledger>/<bag>/<seq>/<tag>} (docs/formats.md, "Bag labels"), which a USB scanner types
 * as it is; with upper-case ids every character is in the QR alphanumeric set.
 *
 * <p>{@link #parse} is strict and checks only the form; {@link LabelCheck} checks a label against a ledger.
 */
public record Label(LedgerId ledger, BagId bag, long seq, LabelTag tag) {
    /** The first characters of every version-1 payload. */
    public static final String PREFIX = "CUSTODY1/";
    /** The longest valid payload: two 64-character ids, a 16-digit sequence number and the tag. */
    public static final int MAX_LENGTH = PREFIX.length() + 64 + 1 + 64 + 1 + 16 + 1 + LabelTag.LENGTH;
    private static final Pattern SEQ = Pattern.compile("[1-9][0-9]{0,15}");
    private static final Pattern OTHER_VERSION = Pattern.compile("CUSTODY[0-9]+/.*", Pattern.DOTALL);

    public Label {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(bag, "bag");
        Objects.requireNonNull(tag, "tag");
        if (seq < 1 || seq > Entry.MAX_SEQ) {
            throw new MalformedInputException("a label's entry number is 1 to " + Entry.MAX_SEQ + ", got " + seq);
        }
    }

    /** The label binding {@code bag} of {@code ledger} to its seal entry at {@code seq}, whose hash is {@code entry}. */
    public static Label bind(HashAlgorithm algorithm, LedgerId ledger, BagId bag, long seq, Hash entry) {
        return new Label(ledger, bag, seq, LabelTag.compute(algorithm, ledger, bag, seq, entry));
    }

    /** The payload printed in the QR code. */
    public String payload() {
        return PREFIX + ledger.value() + "/" + bag.value() + "/" + seq + "/" + tag.text();
    }

    /**
     * Reads a payload exactly as printed: no surrounding whitespace or line end (strip a scanner's line end
     * before calling).
     *
     * @throws MalformedLabelException naming the part that is wrong
     */
    public static Label parse(String payload) {
        if (payload == null || payload.isEmpty()) {
            throw new MalformedLabelException("payload", 0, "is empty");
        }
        if (payload.length() > MAX_LENGTH) {
            throw new MalformedLabelException("payload", 0, "is " + payload.length() + " characters; a Custody label has at most "
                    + MAX_LENGTH);
        }
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new MalformedLabelException("payload", i, String.format(Locale.ROOT,
                        "character U+%04X is not allowed: a label is printable ASCII without spaces or line ends", (int) c));
            }
        }
        if (!payload.startsWith(PREFIX)) {
            String head = payload.substring(0, Math.min(PREFIX.length(), payload.length()));
            if (head.toUpperCase(Locale.ROOT).equals(PREFIX)) {
                throw new MalformedLabelException("prefix", 0, "starts with '" + head + "' instead of '" + PREFIX
                        + "': letters arrived in the wrong case; is Caps Lock on at the scanner?");
            }
            if (OTHER_VERSION.matcher(payload).matches()) {
                throw new MalformedLabelException("prefix", 0, "is format version " + payload.substring(7, payload.indexOf('/'))
                        + "; this program reads version 1 (" + PREFIX + ")");
            }
            throw new MalformedLabelException("prefix", 0, "not a Custody label: it must start with " + PREFIX);
        }
        String[] parts = payload.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 4) {
            throw new MalformedLabelException("payload", 0, "has " + parts.length + " fields after " + PREFIX
                    + "; expected 4: ledger/bag/seq/tag");
        }
        int at = PREFIX.length();
        LedgerId ledger = field("ledger", at, () -> LedgerId.of(parts[0]));
        at += parts[0].length() + 1;
        BagId bag = field("bag", at, () -> BagId.of(parts[1]));
        at += parts[1].length() + 1;
        if (!SEQ.matcher(parts[2]).matches()) {
            throw new MalformedLabelException("seq", at, "'" + parts[2] + "' is not an entry number: 1 to 16 decimal digits, "
                    + "no leading zero, not 0");
        }
        long seq = Long.parseLong(parts[2]);
        if (seq > Entry.MAX_SEQ) {
            throw new MalformedLabelException("seq", at, parts[2] + " is past the largest entry number " + Entry.MAX_SEQ);
        }
        at += parts[2].length() + 1;
        String tag = parts[3];
        if (tag.length() != LabelTag.LENGTH) {
            throw new MalformedLabelException("tag", at, "has " + tag.length() + " characters; expected " + LabelTag.LENGTH);
        }
        if (!tag.equals(tag.toUpperCase(Locale.ROOT))) {
            throw new MalformedLabelException("tag", at, "has lower-case letters; the tag is upper-case base32 "
                    + "(is Caps Lock on at the scanner?)");
        }
        LabelTag t = field("tag", at, () -> new LabelTag(tag));
        return new Label(ledger, bag, seq, t);
    }

    private static <T> T field(String name, int offset, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new MalformedLabelException(name, offset, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return payload();
    }
}
