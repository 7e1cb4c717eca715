package org.custody.cli;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;
import org.custody.audit.FindingCode;

/**
 * A Custody server refused a request, answered something the command cannot trust, or could not be reached:
 * the message names the URL and what failed; the command ends with {@link #status()}: 3 for an integrity code
 * (I01-I12), 4 for a custody rule refused under a strict policy (R01-R25), 2 otherwise.
 */
final class ServerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String code;
    private final transient List<Finding> findings;

    ServerError(String message, int httpStatus, String code, List<Finding> findings) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A failure with no HTTP answer behind it (connection, or an answer the command refuses to trust). */
    ServerError(String message, String code) {
        this(message, 0, code, List.of());
    }

    /** The HTTP status of the server's answer, or 0 if there was none. */
    int httpStatus() {
        return httpStatus;
    }

    /** The finding code the server gave ({@code I04}, {@code R03}), or {@code null}. */
    String code() {
        return code;
    }

    /** The findings the server gave with its refusal, in the audit-report shape. */
    List<Finding> findings() {
        return findings;
    }

    /** The command's exit status for this failure. */
    int status() {
        FindingCode c = codeOf(code);
        if (c == null) {
            return Exit.USAGE;
        }
        return c.findingClass() == FindingClass.INTEGRITY ? Exit.INTEGRITY : Exit.REFUSED;
    }

    private static FindingCode codeOf(String code) {
        if (code == null) {
            return null;
        }
        try {
            return FindingCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
