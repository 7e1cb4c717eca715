package org.custody.model;

import java.time.Duration;
import java.time.ZoneId;
import org.custody.failure.MalformedInputException;

/**
 * The custody policy of one exam: how rule breaches are handled and the limits the rules check. The
 * defaults come from the regulations (domain.md); an exam's policy may only tighten them.
 *
 * @param mode                      refuse rule breaches at append time, or record them and report them
 * @param minSigners                people who must sign every handoff (R01; at least 2)
 * @param distributionStaff         staff, besides a discipline inspector, at sorting and distribution (R02; at least 3)
 * @param openingLead               how long before a session starts its papers may be opened (R06; at most 5 minutes)
 * @param returnWithin              how soon after a session ends its answer sheets must be back in the vault (R10; at most 3 hours)
 * @param inspectionInterval        longest gap between vault inspections while bags are stored (R12; at most 6 hours)
 * @param zone                      the exam's time zone, for "the same day" (R11)
 * @param answerSheetsScanned       answer sheets were scanned for electronic marking: kept 1 year instead of 3 (R14)
 * @param governance                the quorum of each governance record the policy states ({@link Quorum#ACTIONS});
 *                                  the others keep the defaults of docs/rules.md (R17); empty for none
 * @param futureTolerance           how far a record's claimed time may lie ahead of the clock appending it (R22; at
 *                                  most 10 minutes); {@code null} when not stated: {@link #FUTURE_TOLERANCE}
 * @param recordWithin              how soon after the time it claims a record must be appended (R23; at most 7 days);
 *                                  {@code null} when not stated: not checked
 * @param stationIdle               how long a handoff station ({@code custody station}) may stand idle before it locks
 *                                  and everyone signed in must unlock their key again (at most 1 hour); {@code null}
 *                                  when not stated: {@link #STATION_IDLE}. Not a custody rule: no entry is judged by it
 */
public record Policy(String exam, Mode mode, int minSigners, int distributionStaff, Duration openingLead,
                     Duration returnWithin, Duration inspectionInterval, ZoneId zone, boolean answerSheetsScanned,
                     java.util.Map<String, Quorum> governance, Duration futureTolerance, Duration recordWithin,
                     Duration stationIdle) {
    public static final int MIN_SIGNERS = 2;
    public static final int DISTRIBUTION_STAFF = 3;
    public static final Duration OPENING_LEAD = Duration.ofMinutes(5);
    public static final Duration RETURN_WITHIN = Duration.ofHours(3);
    public static final Duration INSPECTION_INTERVAL = Duration.ofHours(6);
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** How far ahead of the appending clock a claimed time may lie when the policy states nothing (clocks of signing devices drift). */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);
    /** The longest {@link #recordWithin} a policy may state. */
    public static final Duration RECORD_WITHIN_MAX = Duration.ofDays(7);
    /** How long a handoff station may stand idle before it locks, when the policy states nothing. */
    public static final Duration STATION_IDLE = Duration.ofMinutes(10);
    /** The longest {@link #stationIdle} a policy may state. */
    public static final Duration STATION_IDLE_MAX = Duration.ofHours(1);

    /** How a rule breach is handled. */
    public enum Mode implements Labelled {
        /** Refuse the append: nothing is stored (lateness, R10-R12, is reported but never refused). */
        STRICT("strict", "严格"),
        /** Store the record and report the breach: officers record what really happened. */
        RECORD("record", "如实记录");

        private final Label label;

        Mode(String wire, String chinese) {
            this.label = new Label(wire, chinese);
        }

        @Override
        public Label label() {
            return label;
        }
    }

    public Policy {
        Ids.require("exam", exam);
        if (mode == null || openingLead == null || returnWithin == null || inspectionInterval == null || zone == null) {
            throw new MalformedInputException("a policy needs a mode, every time limit and a time zone");
        }
        if (minSigners < MIN_SIGNERS || minSigners > 16) {
            throw new MalformedInputException("minSigners must be " + MIN_SIGNERS + "-16 (the regulations require at least "
                    + MIN_SIGNERS + "), got " + minSigners);
        }
        if (distributionStaff < DISTRIBUTION_STAFF || distributionStaff > 15) {
            throw new MalformedInputException("distributionStaff must be " + DISTRIBUTION_STAFF + "-15, got " + distributionStaff);
        }
        requireTighter("openingLead", openingLead, Duration.ZERO, OPENING_LEAD);
        requireTighter("returnWithin", returnWithin, Duration.ofMinutes(1), RETURN_WITHIN);
        requireTighter("inspectionInterval", inspectionInterval, Duration.ofMinutes(1), INSPECTION_INTERVAL);
        if (futureTolerance != null) {
            requireTighter("futureTolerance", futureTolerance, Duration.ZERO, FUTURE_TOLERANCE);
        }
        if (recordWithin != null) {
            requireTighter("recordWithin", recordWithin, Duration.ofMinutes(1), RECORD_WITHIN_MAX);
        }
        if (stationIdle != null) {
            requireTighter("stationIdle", stationIdle, Duration.ofMinutes(1), STATION_IDLE_MAX);
        }
        // sorted, and kept sorted: every form written from it (the rules' stored state too) lists the actions in one order
        governance = governance == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(governance));
        for (String action : governance.keySet()) {
            if (!Quorum.ACTIONS.contains(action)) {
                throw new MalformedInputException("governance names '" + action + "', which is none of " + Quorum.ACTIONS);
            }
        }
    }

    /** The policy of the regulations' limits without stated quorums or time tolerances (the defaults of docs/rules.md apply). */
    public Policy(String exam, Mode mode, int minSigners, int distributionStaff, Duration openingLead, Duration returnWithin,
                  Duration inspectionInterval, ZoneId zone, boolean answerSheetsScanned) {
        this(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone, answerSheetsScanned,
                java.util.Map.of());
    }

    /** The policy stating {@code governance}, without time tolerances (the defaults apply). */
    public Policy(String exam, Mode mode, int minSigners, int distributionStaff, Duration openingLead, Duration returnWithin,
                  Duration inspectionInterval, ZoneId zone, boolean answerSheetsScanned, java.util.Map<String, Quorum> governance) {
        this(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone, answerSheetsScanned,
                governance, null, null);
    }

    /** The policy stating {@code governance} and the time tolerances, without a station idle time (the default applies). */
    public Policy(String exam, Mode mode, int minSigners, int distributionStaff, Duration openingLead, Duration returnWithin,
                  Duration inspectionInterval, ZoneId zone, boolean answerSheetsScanned, java.util.Map<String, Quorum> governance,
                  Duration futureTolerance, Duration recordWithin) {
        this(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone, answerSheetsScanned,
                governance, futureTolerance, recordWithin, null);
    }

    /** This policy, stating the quorum of {@code action} (one of {@link Quorum#ACTIONS}). */
    public Policy withQuorum(String action, Quorum quorum) {
        java.util.Map<String, Quorum> stated = new java.util.TreeMap<>(governance);
        stated.put(action, quorum);
        return new Policy(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone,
                answerSheetsScanned, stated, futureTolerance, recordWithin, stationIdle);
    }

    /** This policy, stating how far ahead of the appending clock a claimed time may lie (R22), or not ({@code null}). */
    public Policy withFutureTolerance(Duration tolerance) {
        return new Policy(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone,
                answerSheetsScanned, governance, tolerance, recordWithin, stationIdle);
    }

    /** This policy, stating how soon after its claimed time a record must be appended (R23), or not ({@code null}). */
    public Policy withRecordWithin(Duration within) {
        return new Policy(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone,
                answerSheetsScanned, governance, futureTolerance, within, stationIdle);
    }

    /** How far ahead of the appending clock a claimed time may lie: the stated tolerance, else {@link #FUTURE_TOLERANCE}. */
    public Duration aheadAllowed() {
        return futureTolerance != null ? futureTolerance : FUTURE_TOLERANCE;
    }

    /**
     * The regulations' defaults for {@code exam}, recording what happened: breaches are stored and reported
     * until the exam's policy record chooses strict.
     */
    public static Policy defaults(String exam) {
        return new Policy(exam, Mode.RECORD, MIN_SIGNERS, DISTRIBUTION_STAFF, OPENING_LEAD, RETURN_WITHIN,
                INSPECTION_INTERVAL, ZONE, false);
    }

    public Policy withMode(Mode mode) {
        return new Policy(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone,
                answerSheetsScanned, governance, futureTolerance, recordWithin, stationIdle);
    }

    /** This policy, stating how long a handoff station may stand idle before it locks, or not ({@code null}). */
    public Policy withStationIdle(Duration idle) {
        return new Policy(exam, mode, minSigners, distributionStaff, openingLead, returnWithin, inspectionInterval, zone,
                answerSheetsScanned, governance, futureTolerance, recordWithin, idle);
    }

    /** How long a handoff station may stand idle before it locks: the stated time, else {@link #STATION_IDLE}. */
    public Duration stationIdleAllowed() {
        return stationIdle != null ? stationIdle : STATION_IDLE;
    }

    /** How long answer sheets are kept after the exam (R14): 1 year if scanned, else 3 years. */
    public java.time.Period retention() {
        return answerSheetsScanned ? java.time.Period.ofYears(1) : java.time.Period.ofYears(3);
    }

    private static void requireTighter(String what, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new MalformedInputException(what + " must be between " + min.toMinutes() + " and " + max.toMinutes()
                    + " minutes (a policy may only tighten the regulations), got " + value.toMinutes());
        }
        if (value.toSecondsPart() != 0 || value.toNanosPart() != 0) {
            throw new MalformedInputException(what + " must be whole minutes");
        }
    }
}
