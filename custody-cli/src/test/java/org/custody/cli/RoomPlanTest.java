package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.custody.model.Secrecy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room plan rows the import refuses, each naming the line and what to write instead. */
class RoomPlanTest {
    private static final RoomPlan.Options OPTIONS = new RoomPlan.Options(Secrecy.CONFIDENTIAL, Secrecy.CONFIDENTIAL, true, true);
    private static final String HEADER = "exam,site,room,session,subject,starts_at,ends_at,candidates,sets\n";

    @TempDir
    Path dir;

    /** Found by CsvFuzzTest#roomPlan (crash-sets-only-a-semicolon): a question-paper row whose sets were ';' failed with a NullPointerException. */
    @Test
    void read_setsWithoutAnySet_userErrorNamingTheLine() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.csv"), HEADER
                + "HN-ZSB-2021,K01,01,S1,ENG,2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,30,;\n");
        UserError e = assertThrows(UserError.class, () -> RoomPlan.read(plan, OPTIONS));
        assertTrue(e.getMessage().contains("plan.csv line 2: column 'sets' names no set; write sets like A;B"), e.getMessage());
    }
}
