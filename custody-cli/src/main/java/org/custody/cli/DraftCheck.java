package org.custody.cli;

import java.security.MessageDigest;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.RecordCodec;

/**
 * The checks a signer's device makes before signing a server's draft, so that the server cannot have a person
 * sign anything but the record shown to them. Pure: the record and bytes come from the caller.
 */
final class DraftCheck {
    private DraftCheck() {}

    /**
     * The handoff to show the signer, after checking that {@code served}, the bytes the server asks to sign, are
     * exactly the canonical signed bytes of {@code shown}, recomputed here.
     *
     * @throws UserError (exit 3) if they differ, or the draft is not a handoff: nothing may be signed
     */
    static Handoff toSign(Record shown, byte[] served, String draft) {
        if (!(shown instanceof Handoff h)) {
            throw new UserError("draft " + draft + " holds a " + shown.type() + " record, not a handoff; refusing to sign it."
                    + " Nothing was signed", Exit.INTEGRITY);
        }
        byte[] expected = RecordCodec.signedBytes(shown);
        if (!MessageDigest.isEqual(expected, served)) {
            throw new UserError("the bytes the server asks to sign for draft " + draft + " are not the canonical bytes of the"
                    + " record it shows (" + served.length + " bytes served, " + expected.length + " expected): signing them"
                    + " would sign something other than what is shown. Refused; nothing was signed. Report this server", Exit.INTEGRITY);
        }
        return h;
    }

    /**
     * Checks that the draft the server opened holds exactly the handoff asked for (its bags linked to the heads read
     * before), so that what the officer's keys sign is what the officer typed.
     *
     * @throws UserError (exit 3) if the server's record differs
     */
    static void sameAsAsked(Handoff asked, Handoff served, String draft) {
        Handoff compared = withoutCarried(asked, served);
        if (!MessageDigest.isEqual(RecordCodec.signedBytes(asked), RecordCodec.signedBytes(compared))) {
            String why = asked.bags().size() == served.bags().size() && !asked.bags().equals(served.bags())
                    ? " (the bags' links differ: another handoff of a bag was recorded meanwhile, or the server altered them)" : "";
            throw new UserError("draft " + draft + " on the server is not the handoff asked for" + why + "; refusing to sign it."
                    + " Nothing was signed; cancel the draft and record the handoff again", Exit.INTEGRITY);
        }
    }

    /**
     * {@code served} without the moves the server added for the bags packed in a sealed container the officer named
     * alone (each after the moves asked for, inside a container named or carried before it, and counting, sealing
     * nothing), or {@code served} as it is if it added anything else.
     */
    static Handoff withoutCarried(Handoff asked, Handoff served) {
        int n = asked.bags().size();
        if (served.bags().size() <= n || !served.bags().subList(0, n).equals(asked.bags())) {
            return served;
        }
        java.util.Set<org.custody.model.BagId> containers = new java.util.HashSet<>();
        asked.bags().forEach(m -> containers.add(m.bag()));
        for (org.custody.record.BagMove m : served.bags().subList(n, served.bags().size())) {
            boolean carried = m.container() != null && containers.contains(m.container()) && m.count() == null
                    && m.present() == null && m.absent() == null && m.seal() == null && m.sealState() == null;
            if (!carried || !containers.add(m.bag())) {
                return served;
            }
        }
        return served.withBags(asked.bags());
    }
}
