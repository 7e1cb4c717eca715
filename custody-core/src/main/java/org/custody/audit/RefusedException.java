package org.custody.audit;

import java.util.Objects;
import org.custody.failure.CustodyException;

/**
 * A well-formed request refused by an integrity or custody rule, named by its stable code
 * (../shared/domain.md): the fourth kind of {@link CustodyException}, kept beside the codes so that the
 * failure types depend on nothing. Nothing was stored.
 */
public class RefusedException extends CustodyException {
    private static final long serialVersionUID = 1L;
    private final FindingCode code;

    public RefusedException(FindingCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public RefusedException(FindingCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The rule that refused. */
    public FindingCode code() {
        return code;
    }

    /** Whether an integrity check (an I code) refused, rather than a custody rule (an R code). */
    public boolean integrity() {
        return code.findingClass() == FindingClass.INTEGRITY;
    }
}
