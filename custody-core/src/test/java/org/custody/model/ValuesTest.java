package org.custody.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void text_chineseAndSupplementaryCharacters_accepted() {
        assertEquals("湘江学院 𠀋", Text.require("name", "湘江学院 𠀋", 20));
    }

    @Test
    void text_unpairedSurrogate_rejectedWithPosition() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Text.require("note", "ab\uD800c", 20));
        assertTrue(e.getMessage().contains("unpaired surrogate at position 2"), e.getMessage());
    }

    @Test
    void text_controlCharacter_rejected_butNewlineAllowed() {
        assertThrows(MalformedInputException.class, () -> Text.require("note", "a\u0007b", 20));
        assertEquals("a\nb", Text.require("note", "a\nb", 20));
    }

    @Test
    void text_tooLong_rejectedWithLimit() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Text.require("name", "x".repeat(201), Text.MAX_SHORT));
        assertTrue(e.getMessage().contains("at most 200"), e.getMessage());
    }

    @Test
    void bagId_invalidCharacters_rejectedWithHint() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> BagId.of("K01 01"));
        assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
        assertThrows(MalformedInputException.class, () -> BagId.of("-K01"));
        assertThrows(MalformedInputException.class, () -> BagId.of("x".repeat(65)));
    }

    @Test
    void bag_containerWithCopies_rejected() {
        assertThrows(MalformedInputException.class, () -> new Bag(BagId.of("BOX1"), BagKind.TRANSPORT_BOX, "E", null, null,
                null, null, null, 3, null, null));
    }

    @Test
    void bag_invigilatorsOutOfRangeOrOnAContainer_rejected() {
        Bag bag = Bag.papers(BagId.of("B1"), BagKind.QUESTION_PAPER, "E", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL);
        assertEquals(3, bag.withInvigilators(3).invigilatorsNeeded());
        assertEquals(Bag.STANDARD_ROOM_INVIGILATORS, bag.invigilatorsNeeded());
        assertThrows(MalformedInputException.class, () -> bag.withInvigilators(1));
        assertThrows(MalformedInputException.class, () -> bag.withInvigilators(17));
        assertThrows(MalformedInputException.class, () -> new Bag(BagId.of("BOX1"), BagKind.TRANSPORT_BOX, "E", "K01", null,
                null, null, null, null, null, 2));
    }

    @Test
    void bag_papersWithoutSecrecy_rejected() {
        assertThrows(MalformedInputException.class, () -> new Bag(BagId.of("B1"), BagKind.QUESTION_PAPER, "E", null, null,
                null, null, "A", 3, null, null));
    }

    @Test
    void labelled_fromWire_unknownNameListsChoices() {
        assertEquals(Role.POLICE, Labelled.fromWire(Role.class, "police"));
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> Labelled.fromWire(Step.class, "teleport"));
        assertTrue(e.getMessage().contains("print, seal, vault_in"), e.getMessage());
    }

    @Test
    void person_recusal_isReportedForThatExamOnly() {
        Person p = new Person(PersonId.of("P070"), "郑华", Set.of(Role.INVIGILATOR), "K01", null,
                List.of(new Recusal("HN-ZSB-2021", "子女参加本次考试")));
        assertTrue(p.recusedFrom("HN-ZSB-2021"));
        assertTrue(!p.recusedFrom("HN-ZSB-2022"));
    }
}
