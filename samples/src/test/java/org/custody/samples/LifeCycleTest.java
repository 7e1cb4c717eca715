package org.custody.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example records what it says, through the public API, on a real SQLite file. */
class LifeCycleTest {
    @TempDir
    Path dir;

    @Test
    void run_questionBag_registeredThenEveryHandoffSignedByThreeAndChained() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Ledger ledger = new LifeCycle(Suite.ED25519_SHA256, quiet).run(dir.resolve("exam.db"))) {
            List<Entry> history = ledger.history(LifeCycle.QUESTIONS);
            assertEquals("register", history.get(0).record().type());
            List<String> steps = history.stream().skip(1).map(e -> ((Handoff) e.record()).step().wire()).toList();
            assertEquals(List.of("print", "seal", "vault_in", "distribute", "escort", "room_pickup", "open"), steps);
            for (Entry e : history.subList(1, history.size())) {
                assertTrue(e.signatures().size() >= 3, e::toString);
                assertEquals(e.record().parties().size(), e.signatures().size(), e::toString);
            }
            Entry last = history.get(history.size() - 1);
            assertEquals(ledger.bagHead(LifeCycle.QUESTIONS).orElseThrow(), last.hash(ledger.suite().hash()));
            assertEquals(0, ledger.verify().exitStatus(), ledger.verify().summary());
        }
    }
}
