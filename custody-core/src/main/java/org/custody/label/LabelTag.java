package org.custody.label;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.LedgerId;

/**
 * The part of a label that binds a bag to one ledger entry: the first {@value #BYTES} bytes of
 * {@code H("custody/label/v1\n" || ledger || "\n" || bag || "\n" || seq || "\n" || hex(entryHash))},
 * written as {@value #LENGTH} RFC 4648 base32 characters ({@code A-Z}, {@code 2-7}, no padding).
 *
 * @param text the {@value #LENGTH} base32 characters
 */
public record LabelTag(String text) {
    /** Label of the bytes hashed for a tag. */
    public static final String HASH_LABEL = "custody/label/v1\n";
    /** Bytes of the hash kept: 160 bits. */
    public static final int BYTES = 20;
    /** Characters of the tag as printed. */
    public static final int LENGTH = 32;
    private static final Pattern TEXT = Pattern.compile("[A-Z2-7]{" + LENGTH + "}");

    public LabelTag {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new MalformedInputException("a label tag is " + LENGTH + " base32 characters (A-Z, 2-7)");
        }
    }

    /** The tag binding {@code bag} of {@code ledger} to the entry at {@code seq} whose hash is {@code entry}. */
    public static LabelTag compute(HashAlgorithm algorithm, LedgerId ledger, BagId bag, long seq, Hash entry) {
        byte[] digest = algorithm.digest(input(ledger, bag, seq, entry)).bytes();
        return new LabelTag(Base32.toBase32String(Arrays.copyOf(digest, BYTES)));
    }

    /** The bytes hashed for a tag (ASCII: every identifier is ASCII). */
    static byte[] input(LedgerId ledger, BagId bag, long seq, Hash entry) {
        return (HASH_LABEL + ledger.value() + "\n" + bag.value() + "\n" + seq + "\n" + entry.hex())
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return text;
    }
}
