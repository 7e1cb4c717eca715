package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.junit.jupiter.api.Test;

/** A server must not get a signer to sign anything but the record shown: the device's checks, without a server. */
class DraftCheckTest {
    static final BagId BAG = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A");

    static Handoff handoff(int count, Hash prev) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-1")).ledger(LedgerId.of("HN-ZSB-2021")).at(Instant.parse("2021-06-09T00:30:00Z"))
                .from(PersonId.of("P006")).to(PersonId.of("P007")).witnesses(List.of(PersonId.of("P009"))).place(Place.of("VAULT", "保密室"))
                .bags(List.of(BagMove.of(BAG, prev).count(count).seal("SN-1", SealState.INTACT))).build();
    }

    @Test
    void toSign_canonicalBytesOfTheRecordShown_accepted() {
        Handoff h = handoff(30, Hash.ZERO);
        assertSame(h, DraftCheck.toSign(h, RecordCodec.signedBytes(h), "d1"));
    }

    @Test
    void toSign_bytesOfAnotherRecord_refusedWithExit3() {
        Handoff shown = handoff(30, Hash.ZERO);
        byte[] other = RecordCodec.signedBytes(handoff(31, Hash.ZERO));
        UserError e = assertThrows(UserError.class, () -> DraftCheck.toSign(shown, other, "d1"));
        assertEquals(Exit.INTEGRITY, e.status());
        assertTrue(e.getMessage().contains("not the canonical bytes of the record it shows"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was signed"), e.getMessage());
    }

    @Test
    void toSign_anySingleByteChanged_refused() {
        Handoff shown = handoff(30, Hash.ZERO);
        byte[] good = RecordCodec.signedBytes(shown);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertThrows(UserError.class, () -> DraftCheck.toSign(shown, bad, "d1"), "byte " + i);
        }
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(UserError.class, () -> DraftCheck.toSign(shown, longer, "d1"));
        assertThrows(UserError.class, () -> DraftCheck.toSign(shown, java.util.Arrays.copyOf(good, good.length - 1), "d1"));
    }

    @Test
    void sameAsAsked_bagLinkedElsewhere_refused() {
        Handoff asked = handoff(30, Hash.ZERO);
        Handoff served = handoff(30, Hash.fromHex("11".repeat(32)));
        DraftCheck.sameAsAsked(asked, handoff(30, Hash.ZERO), "d1");
        UserError e = assertThrows(UserError.class, () -> DraftCheck.sameAsAsked(asked, served, "d1"));
        assertEquals(Exit.INTEGRITY, e.status());
        assertTrue(e.getMessage().contains("links differ"), e.getMessage());
    }

    @Test
    void remoteDraft_viewOrRawBytesNotTheRecord_refused() throws Exception {
        Handoff shown = handoff(30, Hash.ZERO);
        byte[] good = RecordCodec.signedBytes(shown);
        byte[] other = RecordCodec.signedBytes(handoff(31, Hash.ZERO));
        ObjectNode view = Api.JSON.createObjectNode().put("id", "d1").put("state", "open");
        view.set("record", Api.JSON.readTree(RecordCodec.canonicalBytes(shown)));
        view.putArray("missing").add("P007");

        view.put("signedBytes", Base64.getEncoder().encodeToString(good));
        RemoteDraft ok = RemoteDraft.read(view, good, "test");
        assertEquals(shown, ok.handoff());
        assertEquals(List.of(PersonId.of("P007")), ok.missing());
        assertEquals(Exit.INTEGRITY, assertThrows(UserError.class, () -> RemoteDraft.read(view, other, "test")).status());

        view.put("signedBytes", Base64.getEncoder().encodeToString(other));
        assertEquals(Exit.INTEGRITY, assertThrows(UserError.class, () -> RemoteDraft.read(view, null, "test")).status());
    }

    @Test
    void draftId_onlyUrlSafeCharacters() {
        assertEquals("aZ0_-", RemoteDraft.checkId("aZ0_-"));
        for (String bad : new String[] {"../records", "a/b", "a?b", "", "a b"}) {
            assertThrows(UserError.class, () -> RemoteDraft.checkId(bad), bad);
        }
    }

    @Test
    void sameAsAsked_aSealedBoxWhoseBagsTheServerCarried_accepted_anythingElseAdded_refused() {
        BagId box = BagId.of("HN-ZSB-2021.BOX.K01.S1");
        Handoff asked = Handoff.builder(Step.ESCORT).id(RecordId.of("h-2")).ledger(LedgerId.of("HN-ZSB-2021"))
                .at(Instant.parse("2021-06-09T00:30:00Z")).from(PersonId.of("P011")).to(PersonId.of("P015"))
                .witnesses(List.of(PersonId.of("P013"))).place(Place.of("K01", null)).bag(BagMove.of(box, Hash.ZERO)).build();
        Handoff carried = asked.withBags(List.of(BagMove.of(box, Hash.ZERO), BagMove.of(BAG, Hash.ZERO).inside(box)));
        DraftCheck.sameAsAsked(asked, carried, "d2"); // the box's bag moves with it: what the officer asked
        Handoff counted = asked.withBags(List.of(BagMove.of(box, Hash.ZERO), BagMove.of(BAG, Hash.ZERO).inside(box).count(29)));
        UserError e = assertThrows(UserError.class, () -> DraftCheck.sameAsAsked(asked, counted, "d2"));
        assertTrue(e.getMessage().contains("not the handoff asked for"), e.getMessage());
        Handoff loose = asked.withBags(List.of(BagMove.of(box, Hash.ZERO), BagMove.of(BAG, Hash.ZERO)));
        assertThrows(UserError.class, () -> DraftCheck.sameAsAsked(asked, loose, "d2"), "a bag added outside the box");
    }
}
