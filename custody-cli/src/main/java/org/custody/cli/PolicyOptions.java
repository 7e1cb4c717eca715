package org.custody.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.Policy;
import org.custody.model.Quorum;
import org.custody.model.Role;
import picocli.CommandLine.Option;

/**
 * The parts of an exam's policy a command line states ({@code custody init}, {@code custody policy set}): the mode,
 * governance quorums and the time tolerances. Each option changes one member of a policy; the rest is kept.
 */
final class PolicyOptions {
    @Option(names = "--mode", paramLabel = "MODE",
            description = "strict (refuse custody-rule breaches) or record (store and report them)")
    Policy.Mode mode;

    @Option(names = "--quorum", paramLabel = "KIND=ROLES:N,...",
            description = "who must sign a governance record of KIND (policy, schedule, revoke, compromise,"
                    + " set_withdrawn, spare_opening_approval, correction, seal_broken), as groups of roles (joined by |)"
                    + " each with how many distinct signers, e.g. set_withdrawn=chief_examiner|deputy_chief_examiner:1,"
                    + "discipline_inspector:2 (repeatable; docs/rules.md gives the defaults)")
    List<String> quorums = new ArrayList<>();

    @Option(names = "--future-tolerance", paramLabel = "MINUTES",
            description = "how far ahead of the ledger's clock a record's time may lie (0-10; default 10): later is refused (R22)")
    Integer futureTolerance;

    @Option(names = "--record-within", paramLabel = "MINUTES|off",
            description = "how soon after the time it claims a record must be appended (1-10080): later is reported (R23);"
                    + " off: not checked (the default)")
    String recordWithin;

    @Option(names = "--station-idle", paramLabel = "MINUTES",
            description = "how long a handoff station ('custody station') may stand idle before it locks and everyone signed in"
                    + " must unlock their key again (1-60; default 10)")
    Integer stationIdle;

    /** Whether any option was given. */
    boolean any() {
        return mode != null || !quorums.isEmpty() || futureTolerance != null || recordWithin != null || stationIdle != null;
    }

    /** {@code base} with every option given applied. */
    Policy apply(Policy base) {
        Policy policy = mode == null ? base : base.withMode(mode);
        for (String q : quorums) {
            policy = quorum(policy, q);
        }
        try {
            if (futureTolerance != null) {
                policy = policy.withFutureTolerance(Duration.ofMinutes(futureTolerance));
            }
            if (recordWithin != null) {
                policy = policy.withRecordWithin(recordWithin(recordWithin));
            }
        } catch (MalformedInputException e) {
            throw new UserError((futureTolerance != null && e.getMessage().startsWith("futureTolerance") ? "--future-tolerance: "
                    : "--record-within: ") + e.getMessage());
        }
        if (stationIdle != null) {
            try {
                policy = policy.withStationIdle(Duration.ofMinutes(stationIdle));
            } catch (MalformedInputException e) {
                throw new UserError("--station-idle: " + e.getMessage() + " (工作站闲置锁定时间须为 1-60 分钟)");
            }
        }
        return policy;
    }

    private static Duration recordWithin(String value) {
        if (value.strip().equalsIgnoreCase("off")) {
            return null;
        }
        try {
            long minutes = Long.parseLong(value.strip());
            if (minutes < 0 || minutes > Policy.RECORD_WITHIN_MAX.toMinutes()) {
                throw new UserError("--record-within: recordWithin must be between 1 and " + Policy.RECORD_WITHIN_MAX.toMinutes()
                        + " minutes (a policy may only tighten the regulations), got " + value.strip());
            }
            return Duration.ofMinutes(minutes);
        } catch (NumberFormatException e) {
            throw new UserError("--record-within '" + value + "' is neither a number of minutes (1-10080) nor 'off'");
        }
    }

    /** {@code policy} stating the quorum {@code --quorum KIND=ROLE|ROLE:N,ROLE:N} gives. */
    static Policy quorum(Policy policy, String option) {
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new UserError("--quorum '" + option + "' should read KIND=ROLES:N,..., e.g. set_withdrawn=chief_examiner:1,"
                    + "discipline_inspector:2");
        }
        String kind = option.substring(0, eq).strip();
        List<Quorum.Group> groups = new ArrayList<>();
        for (String group : option.substring(eq + 1).split(",")) {
            int colon = group.lastIndexOf(':');
            if (colon <= 0) {
                throw new UserError("--quorum " + kind + ": '" + group + "' should read ROLE|ROLE:N (roles, then how many sign)");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : group.substring(0, colon).split("\\|")) {
                roles.add(HandoffCommand.wire(Role.class, "--quorum", role.strip()));
            }
            int count;
            try {
                count = Integer.parseInt(group.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new UserError("--quorum " + kind + ": '" + group.substring(colon + 1) + "' is not a number of signers");
            }
            try {
                groups.add(new Quorum.Group(roles, count));
            } catch (MalformedInputException e) {
                throw new UserError("--quorum " + kind + ": " + e.getMessage());
            }
        }
        try {
            return policy.withQuorum(kind, new Quorum(groups));
        } catch (MalformedInputException e) {
            throw new UserError("--quorum " + kind + ": " + e.getMessage());
        }
    }

    /** The policy in one line per member, as an officer reads it (times in minutes). */
    static List<String> describe(Policy p) {
        List<String> out = new ArrayList<>();
        out.add("mode 模式: " + p.mode().wire() + " (" + p.mode().chinese() + ")");
        out.add("minSigners 最少签字人数: " + p.minSigners() + "   distributionStaff 分发人数: " + p.distributionStaff());
        out.add("openingLead 提前启封: " + p.openingLead().toMinutes() + " min   returnWithin 答卷回库: "
                + p.returnWithin().toMinutes() + " min   inspectionInterval 保密室巡查: " + p.inspectionInterval().toMinutes() + " min");
        out.add("zone 时区: " + p.zone().getId() + "   answerSheetsScanned 答卷已扫描: " + p.answerSheetsScanned());
        out.add("futureTolerance 记录时间超前容差: " + p.aheadAllowed().toMinutes() + " min" + (p.futureTolerance() == null ? " (default 默认)" : "")
                + "   recordWithin 入账时限: " + (p.recordWithin() == null ? "off (not checked 不检查)" : p.recordWithin().toMinutes() + " min"));
        out.add("stationIdle 工作站闲置锁定: " + p.stationIdleAllowed().toMinutes() + " min" + (p.stationIdle() == null ? " (default 默认)" : ""));
        if (p.governance().isEmpty()) {
            out.add("governance 治理签字: the defaults of docs/rules.md (默认)");
        }
        p.governance().forEach((kind, quorum) -> out.add("governance 治理签字 " + kind + ": " + quorum.groups().stream()
                .map(g -> g.roles().stream().map(Role::wire).sorted().reduce((a, b) -> a + "|" + b).orElse("") + ":" + g.count())
                .reduce((a, b) -> a + "," + b).orElse("")));
        return out;
    }
}
