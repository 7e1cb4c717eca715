package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.custody.audit.FindingCode;
import org.custody.failure.MalformedInputException;
import org.custody.audit.RefusedException;
import org.custody.failure.StoreException;
import org.custody.failure.VerificationException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every failure becomes an exit status in one place: {@link Custody#failure}. */
class FailureMappingTest {
    private final CommandLine cli = Custody.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));

    private record Mapped(int status, String err) {}

    private Mapped map(Exception e) {
        StringWriter err = new StringWriter();
        int status = Custody.failure(e, cli.getCommandSpec(), new PrintWriter(err, true));
        return new Mapped(status, err.toString());
    }

    @Test
    void malformedInput_isAUsageError_sayingNothingWasStored() {
        Mapped m = map(new MalformedInputException("bag id 'K 1' has a space"));
        assertEquals(Exit.USAGE, m.status());
        assertTrue(m.err().contains("bag id 'K 1' has a space") && m.err().contains("未保存"), m.err());
    }

    @Test
    void verificationFailure_isAnIntegrityFinding() {
        Mapped m = map(new VerificationException("signature by key 00 does not verify"));
        assertEquals(Exit.INTEGRITY, m.status());
        assertFalse(m.err().contains("Correct the value"), m.err());
    }

    @Test
    void storeFailure_isReportedWithoutBlamingTheValue() {
        Mapped m = map(new StoreException("exam.db is not a Custody ledger"));
        assertEquals(Exit.USAGE, m.status());
        assertFalse(m.err().contains("Correct the value"), m.err());
    }

    @Test
    void refusals_byIntegrityCheck_orByCustodyRule() {
        assertEquals(Exit.INTEGRITY, map(new RefusedException(FindingCode.I07, "bag chain broken")).status());
        assertEquals(Exit.REFUSED, map(new RefusedException(FindingCode.R01, "one signer")).status());
    }

    @Test
    void illegalArgumentEscaping_isABug() {
        Mapped m = map(new IllegalArgumentException("oops"));
        assertEquals(Exit.SOFTWARE, m.status());
        assertTrue(m.err().contains("This is a bug"), m.err());
    }
}
