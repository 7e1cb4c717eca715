package org.custody.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Appended;
import org.custody.ledger.EnrolledKey;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RegisteredPlace;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;

/**
 * What {@link Station} reads from its ledger and writes to it, so that the station's logic is one whether the ledger is
 * a local file ({@link LocalStationLedger}) or a Custody server's ({@link RemoteStationLedger}). Every check that
 * decides (the label check, the custody rules, the append gate) is the core's own, run on the ledger's side.
 */
interface StationLedger extends AutoCloseable {
    LedgerId id();

    Suite suite();

    /** Everyone enrolled (may be a few seconds old on a server). */
    Map<PersonId, Person> people();

    /** The keys enrolled for {@code person}, read now (sign-in checks a key is a current one). */
    List<EnrolledKey> keysOf(PersonId person);

    /** A registered bag and every entry that named it, oldest first. */
    record Found(Bag bag, List<Entry> history) {
        public Found {
            history = List.copyOf(history);
        }
    }

    /**
     * The bag as registered, with its history, or empty if the ledger does not register it.
     *
     * @throws NotYours if the ledger holds it but this station may not read it (a server's token of other sites)
     */
    Optional<Found> bag(BagId bag);

    /** A bag of a site the station's token does not work at. */
    final class NotYours extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotYours(String message) {
            super(message);
        }
    }

    /** The bags packed in {@code container} now. */
    List<BagId> contents(BagId container);

    /** The registered places (vaults, exam rooms). */
    List<RegisteredPlace> places();

    /** Whether {@code id} is the id of an exam site this ledger knows. */
    boolean isSite(String id);

    /** The shortest station idle time of the policies in force ({@code stationIdleMinutes}, 10 minutes if none states one). */
    Duration stationIdle();

    /**
     * The next move of {@code bag}, linked to its head: the ledger's head now (a local file), or {@code seen}, the head the
     * scan read (a server: it refuses the handoff if the bag moved meanwhile, and the bag is scanned again).
     */
    BagMove move(BagId bag, Hash seen);

    /** The handoff drafted by the ledger (bags of sealed containers carried) and checked by its custody rules. */
    Pending draft(Handoff.Builder handoff);

    /** A fully signed record kept when it could not be delivered, delivered again; the ledger recognises one stored before. */
    Appended submit(SignedRecord signed);

    @Override
    void close();

    /** A handoff drafted and preflighted, signed by each party on this station, then appended. */
    interface Pending {
        Handoff handoff();

        /** What the ledger would refuse it for now. */
        List<Finding> refusals();

        /** Rule findings it would be recorded with (the exam's policy records them). */
        List<Finding> warnings();

        /** Parties who have not signed yet, in party order. */
        List<PersonId> missing();

        /**
         * Signs with {@code person}'s key, unlocked at sign-in, over the record's exact bytes.
         *
         * @throws UserError if the key may not sign it; nothing is signed then
         */
        void sign(PersonId person, SigningKey key);

        /**
         * Appends the record signed by every party: durable when this returns.
         *
         * @throws org.custody.ledger.AppendRefusedException if the ledger refuses it
         * @throws Undelivered                               if a server could not be reached: nothing signed is lost
         */
        Appended append();
    }

    /** A record signed by every party that could not be delivered to the server (unreachable, or too busy to answer). */
    final class Undelivered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SignedRecord signed;

        Undelivered(SignedRecord signed, ServerError cause) {
            super(cause.getMessage(), cause);
            this.signed = signed;
        }

        SignedRecord signed() {
            return signed;
        }
    }
}
