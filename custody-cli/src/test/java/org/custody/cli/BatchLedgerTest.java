package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch's commands share one open ledger per file ({@link OpenLedgers}); outside a batch each opens its own. */
class BatchLedgerTest {
    @TempDir
    Path dir;
    Path keys;
    Path ledger;

    @BeforeEach
    void setUp() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        SecureRandom random = new SecureRandom();
        for (String p : List.of("P001", "P003", "P006", "P009")) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
        Cli.secret(dir.resolve("ledger.pass"), "ledger key passphrase\n");
        Path roster = dir.resolve("roster.csv");
        Files.writeString(roster, "person,name,role\nP001,于涵敏,print_supervisor\nP003,杨丹,printer_staff\n"
                + "P006,郝桂兰,confidentiality_officer\nP009,邱国英,discipline_inspector\n");
        Path plan = dir.resolve("plan.csv");
        Files.writeString(plan, "exam,site,room,session,subject,starts_at,ends_at,candidates,sets,kind\n"
                + "X,K01,01,S1,ENG,2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,30,A,\n");
        ledger = dir.resolve("x.db");
        ok(cmd("init", "--ledger", ledger.toString(), "--id", "X", "--roster", roster.toString(), "--founder", "P006",
                "--founder", "P009", "--mode", "strict", "--at", "2021-06-01 09:00", "--ledger-key-passphrase-file",
                dir.resolve("ledger.pass").toString()));
        ok(cmd("people", "import", "--ledger", ledger.toString(), "--roster", roster.toString(), "--sponsor", "P006",
                "--at", "2021-06-01 10:00"));
        ok(cmd("bags", "import", "--ledger", ledger.toString(), "--plan", plan.toString(), "--by", "P006", "--by", "P009",
                "--at", "2021-06-01 11:00"));
    }

    private String[] cmd(String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(Cli.signerArgs(keys, "P001", "P003", "P006", "P009"));
        return args.toArray(String[]::new);
    }

    private static Cli.Result ok(String[] args) {
        Cli.Result r = Cli.run("", args);
        assertEquals(0, r.status(), r::toString);
        return r;
    }

    private static Head headOnFile(Path file) {
        try (Ledger fresh = Ledger.open(file)) {
            return fresh.head();
        }
    }

    @Test
    void batch_commandsShareOneLedger_refusedAppendLeavesItAsTheFile() {
        String[] print = cmd("handoff", "--ledger", ledger.toString(), "--step", "print", "--at", "2021-06-07 08:00",
                "--to", "P001", "--witness", "P003", "--witness", "P006", "--place", "PRINTER", "--bag", "X.K01.01.S1.ENG.A");
        // P006 does not hold the bag (P001 does): the strict exam policy refuses the handoff, nothing is stored
        String[] wrongHolder = cmd("handoff", "--ledger", ledger.toString(), "--step", "seal", "--at", "2021-06-07 09:00",
                "--from", "P006", "--to", "P009", "--witness", "P003", "--place", "PRINTER", "--bag", "X.K01.01.S1.ENG.A",
                "--count", "30", "--seal", "FT-1", "--seal-state", "intact");
        String[] seal = cmd("handoff", "--ledger", ledger.toString(), "--step", "seal", "--at", "2021-06-07 09:00",
                "--from", "P001", "--to", "P006", "--witness", "P003", "--place", "PRINTER", "--bag", "X.K01.01.S1.ENG.A",
                "--count", "30", "--seal", "FT-1", "--seal-state", "intact");
        Head before = headOnFile(ledger);

        Ledger shared = Keyring.during(() -> OpenLedgers.during(() -> {
            ok(print);
            assertEquals(1, OpenLedgers.kept());
            Ledger l;
            try (OpenLedgers.Lease lease = OpenLedgers.open(dir.resolve(".").resolve("x.db"))) {
                l = lease.ledger();
                assertFalse(lease.owned(), "the batch keeps the ledger, not the command");
            }
            Head printed = l.head();
            assertEquals(before.size() + 1, printed.size());
            assertEquals(printed, headOnFile(ledger), "the shared ledger sees what is on file");

            Cli.Result refused = Cli.run("", wrongHolder);
            assertNotEquals(0, refused.status(), refused::toString);
            assertNotEquals(1, refused.status(), refused::toString);
            assertTrue(refused.err().toLowerCase(java.util.Locale.ROOT).contains("nothing was stored"), refused::toString);
            assertEquals(printed, l.head(), "a refused append leaves the shared ledger where it was");
            assertEquals(printed, headOnFile(ledger), "and the file where it was");

            ok(seal);
            try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                assertSame(l, lease.ledger(), "the same open ledger serves every command of the batch");
            }
            assertEquals(printed.size() + 1, l.head().size());
            assertEquals(l.head(), headOnFile(ledger));
            return l;
        }));

        assertThrows(LedgerStoreException.class, shared::head, "the batch closes its ledgers when it ends");
        assertEquals(0, OpenLedgers.kept());
        assertEquals(before.size() + 2, headOnFile(ledger).size());
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(0, verify.status(), verify::toString);
    }

    @Test
    void outsideABatch_eachCommandOpensAndClosesItsOwnLedger() {
        Ledger first;
        try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
            assertTrue(lease.owned());
            first = lease.ledger();
            assertEquals(0, OpenLedgers.kept());
        }
        assertThrows(LedgerStoreException.class, first::head, "closed with the command");
    }
}
