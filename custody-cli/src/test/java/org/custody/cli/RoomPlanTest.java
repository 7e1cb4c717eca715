package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    private static final String NAMED = "exam,site,site_name,room,session,subject,subject_name,starts_at,ends_at,candidates,sets\n";
    private static final String TIMES = "2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,30,A\n";

    @Test
    void names_perExam_unnamedCodesAbsent() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.csv"), NAMED
                + "HN-ZSB-2021,K01,湘江学院考点,01,S1,00015,英语（二）," + TIMES
                + "HN-ZSB-2021,K01,湘江学院考点,02,S1,00016,," + TIMES
                + "OTHER,K01,别的考点,01,S1,00015,英语," + TIMES);
        RoomPlan.Names names = RoomPlan.names(plan);
        assertEquals("湘江学院考点", names.site("HN-ZSB-2021", "K01"));
        assertEquals("英语（二）", names.subject("HN-ZSB-2021", "00015"));
        assertNull(names.subject("HN-ZSB-2021", "00016"));
        assertEquals("别的考点", names.site("OTHER", "K01"));
        assertNull(names.site("HN-ZSB-2021", null));
    }

    @Test
    void names_oneCodeTwoNames_userErrorNamingBothLines() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.csv"), NAMED
                + "HN-ZSB-2021,K01,湘江学院考点,01,S1,00015,英语（二）," + TIMES
                + "HN-ZSB-2021,K01,湘江学院,02,S1,00015,英语（二）," + TIMES);
        UserError e = assertThrows(UserError.class, () -> RoomPlan.names(plan));
        assertTrue(e.getMessage().contains("plan.csv line 3: site K01 of exam HN-ZSB-2021 is named '湘江学院' here but '湘江学院考点' on line 2"),
                e.getMessage());
    }

    @Test
    void names_tooLongOrOnTwoLines_userError() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.csv"), NAMED
                + "HN-ZSB-2021,K01,湘江学院考点,01,S1,00015," + "英".repeat(31) + "," + TIMES);
        UserError e = assertThrows(UserError.class, () -> RoomPlan.names(plan));
        assertTrue(e.getMessage().contains("line 2: subject_name '" + "英".repeat(31) + "' is longer than 30 characters"), e.getMessage());
        Files.writeString(plan, NAMED + "HN-ZSB-2021,K01,\"湘江\n学院\",01,S1,00015,英语," + TIMES);
        e = assertThrows(UserError.class, () -> RoomPlan.names(plan));
        assertTrue(e.getMessage().contains("site_name of K01 holds a control character"), e.getMessage());
    }
}
