package org.custody.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.junit.jupiter.api.Test;

class LabelTest {
    static final Label LABEL = Label.bind(HashAlgorithm.SHA_256, LedgerId.of("HN-ZSB-2021"), BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A"),
            123_456, HashAlgorithm.SHA_256.digest(new byte[] {1}));

    @Test
    void payload_upperCaseIds_onlyQrAlphanumericCharacters() {
        String alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        for (char c : LABEL.payload().toCharArray()) {
            assertTrue(alphanumeric.indexOf(c) >= 0, "'" + c + "' in " + LABEL.payload());
        }
    }

    @Test
    void parse_payload_roundTrips() {
        assertEquals(LABEL, Label.parse(LABEL.payload()));
        assertEquals(LABEL.payload(), Label.parse(LABEL.payload()).toString());
    }

    @Test
    void parse_longestIds_fitsMaxLength() {
        Label longest = Label.bind(HashAlgorithm.SM3, LedgerId.of("L".repeat(64)), BagId.of("B".repeat(64)),
                org.custody.record.Entry.MAX_SEQ, Hash.ZERO);
        assertEquals(Label.MAX_LENGTH, longest.payload().length());
        assertEquals(longest, Label.parse(longest.payload()));
    }

    @Test
    void parse_capsLockInverted_saysCheckCapsLock() {
        MalformedLabelException e = assertThrows(MalformedLabelException.class, () -> Label.parse(LABEL.payload().toLowerCase()));
        assertEquals("prefix", e.field());
        assertTrue(e.getMessage().contains("Caps Lock"), e.getMessage());
    }

    @Test
    void parse_badSeq_namesFieldAndOffset() {
        String p = LABEL.payload().replace("/123456/", "/0123456/");
        MalformedLabelException e = assertThrows(MalformedLabelException.class, () -> Label.parse(p));
        assertEquals("seq", e.field());
        assertEquals(p.indexOf("/0123456/") + 1, e.offset());
        assertTrue(e.getMessage().startsWith("label seq at character " + (e.offset() + 1) + ": '0123456'"), e.getMessage());
    }

    @Test
    void parse_otherVersion_saysWhichVersion() {
        MalformedLabelException e = assertThrows(MalformedLabelException.class,
                () -> Label.parse(LABEL.payload().replace("CUSTODY1/", "CUSTODY12/")));
        assertTrue(e.getMessage().contains("version 12"), e.getMessage());
    }

    @Test
    void parse_controlCharacter_namesItsPosition() {
        MalformedLabelException e = assertThrows(MalformedLabelException.class, () -> Label.parse(LABEL.payload() + "\r"));
        assertEquals(LABEL.payload().length(), e.offset());
        assertTrue(e.getMessage().contains("U+000D"), e.getMessage());
    }

    @Test
    void construct_seqZero_refused() {
        assertThrows(MalformedInputException.class, () -> new Label(LABEL.ledger(), LABEL.bag(), 0, LABEL.tag()));
    }
}
