package org.custody.cli;

import static org.custody.cli.StationFixture.K2;
import static org.custody.cli.StationFixture.MORNING;
import static org.custody.cli.StationFixture.Q1;
import static org.custody.cli.StationFixture.Q2;
import static org.custody.cli.StationFixture.Q3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.custody.model.BagId;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.label.Label;
import org.custody.ledger.Ledger;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's screen driven as a person would: keys typed into JLine's external terminal (an xterm over piped streams,
 * raw mode and all), the screen read back through JLine's VT100 emulator, on a real ledger with real keys and labels.
 */
class StationScreenTest {
    static final int WIDTH = 160;
    static final int HEIGHT = 48;

    @TempDir
    static Path shared;
    static StationFixture made;

    @TempDir
    Path dir;
    StationFixture f;
    StationFixture.HandClock clock;

    private PipedOutputStream keyboard;
    private ByteArrayOutputStream shown;
    private Terminal terminal;
    private Thread running;
    private final AtomicInteger status = new AtomicInteger(-1);
    private Station station;
    /** The camera folder the screen watches, if a test set one before {@link #start}. */
    private CameraFolder camera;

    @BeforeAll
    static void makeLedger() throws Exception {
        made = StationFixture.create(shared);
    }

    @BeforeEach
    void copy() throws Exception {
        f = made.copyTo(dir);
        clock = new StationFixture.HandClock(MORNING);
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.isAlive()) {
            keyboard.close();
            running.join(10_000);
        }
        if (terminal != null) {
            terminal.close();
        }
    }

    /** Starts the station's screen at {@code place} on a terminal of WIDTH x HEIGHT. */
    private void start(String place, Duration idle) throws IOException {
        start(f.station(place, clock, idle));
    }

    /** Starts the screen of {@code over} on a terminal of WIDTH x HEIGHT. */
    private void start(Station over) throws IOException {
        keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
        shown = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (shown) {
                    shown.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (shown) {
                    shown.write(b, off, len);
                }
            }
        };
        terminal = TerminalBuilder.builder().system(false).streams(in, out).type("xterm-256color").encoding(StandardCharsets.UTF_8)
                .size(new Size(WIDTH, HEIGHT)).build();
        station = over;
        running = new Thread(() -> {
            try (Station s = station) {
                status.set(new StationScreen(s, terminal, f.keys, 20, camera).run());
            }
        }, "station-screen");
        running.setDaemon(true);
        running.start();
    }

    /** The screen as the officer sees it now. */
    private String screen() {
        ScreenTerminal vt = new ScreenTerminal(WIDTH, HEIGHT);
        synchronized (shown) {
            vt.write(shown.toString(StandardCharsets.UTF_8));
        }
        return vt.toString();
    }

    private String waitFor(String text) throws Exception {
        return StationFixture.waitFor(this::screen, text, Duration.ofSeconds(30), Duration.ofMillis(20));
    }

    /** Types {@code text} and Enter, as a person or a USB scanner does. */
    private void type(String text) throws IOException {
        keyboard.write((text + "\r").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private void signIn(String... people) throws Exception {
        type("in");
        for (String p : people) {
            waitFor("签到人员编号");
            type(p);
            waitFor(p + ", passphrase 口令");
            type(Cli.passphrase(p));
            waitFor(p + " ready to unlock");
        }
        type("");
        for (String p : people) {
            waitFor("✓ " + p);
        }
    }

    @Test
    void distribution_fourBagsAndABadScan_signedByFourAndRecorded() throws Exception {
        long before = f.size();
        Label q2 = f.label(Q2);
        start("VAULT", Duration.ofMinutes(10));
        waitFor("Custody station 交接工作站");
        signIn("P007", "P011", "P006", "P009");
        String s = waitFor("Signed in 已签到: P007 李红秀, P011 戴英秀, P006 郝桂兰, P009 邱国英");
        assertFalse(s.contains(Cli.passphrase("P007")), "a passphrase is never shown:\n" + s);
        assertFalse(shown.toString(StandardCharsets.UTF_8).contains(Cli.passphrase("P007")), "nor ever written to the terminal");

        type(f.label(Q1).payload());
        waitFor("✓ " + Q1 + "  试卷袋  K01 room 考场 01  ENG  set 卷 A  30 copies 份  now 现在: vault_in 入库 at 在 VAULT, held by 保管人 P007");
        type(new Label(q2.ledger(), Q2, f.label(Q1).seq(), f.label(Q1).tag()).payload()); // a swapped label
        waitFor("✗ " + Q2 + "  forged or stale label 标签伪造或已失效");
        waitFor("✗ dropped 已剔除: I10 ");
        type(q2.payload());
        type(f.label(Q3).payload());
        type(f.label(K2).payload());
        type(f.label(Q3).payload());
        waitFor("✗ " + Q3 + "  already scanned 重复扫描");
        waitFor("Batch 本批: 4 ✓ (question_paper 试卷袋 4)  2 ✗ dropped 已剔除");

        type("h");
        s = waitFor("step 环节");
        assertTrue(s.contains(" distribute 出库分发"), s);
        assertFalse(s.contains(" open 启封"), "only the steps these bags can take next are offered:\n" + s);
        type("distribute");
        waitFor("releasing 交出人");
        type("1");
        waitFor("receiving 接收人");
        type("2");
        waitFor("witnesses 见证人");
        type("3 4");
        s = waitFor("counts and seals per bag?");
        type("y");
        s = waitFor("seal on record 记录封条: SN-1");
        type("30");
        waitFor("seal number 封条编号");
        type("SN-1");
        for (int i = 0; i < 3; i++) {
            waitFor("seal on record 记录封条: SN-" + (i + 2));
            type("");
            waitFor("seal number 封条编号");
            type("");
        }
        waitFor("seal state 封条状态");
        type("");
        s = waitFor("P007 李红秀 (releasing 交出): confirm and sign?");
        assertTrue(s.contains("To be signed 待签: distribute 出库分发 at 地点 VAULT, 2021-06-09 05:30:00 Asia/Shanghai"), s);
        type("y");
        waitFor("P011 戴英秀 (receiving 接收): confirm and sign?");
        type("y");
        waitFor("P006 郝桂兰 (witness 见证): confirm and sign?");
        type("y");
        waitFor("P009 邱国英 (witness 见证): confirm and sign?");
        type("y");
        s = waitFor("✓ Recorded entry #" + before + " ");
        assertTrue(s.contains("distribute 出库分发  4 bags 袋  已记录第 " + before + " 条"), s);
        assertTrue(s.contains("Batch 本批: 0 ✓"), "a new batch begins:\n" + s);

        try (Ledger l = Ledger.open(f.ledger)) {
            Handoff h = (Handoff) l.entry(before).orElseThrow().record();
            assertEquals(Step.DISTRIBUTE, h.step());
            assertEquals(4, h.bags().size());
            assertEquals(30, h.bags().get(0).count());
            assertEquals("SN-1", h.bags().get(0).seal());
        }
        assertFalse(Files.exists(station.draftFile().file()), "the kept draft goes once the entry is recorded");
        type("q");
        running.join(10_000);
        assertEquals(0, status.get());
    }

    /**
     * The screen over a server's ledger ({@code --server}): a handoff signed on the station is recorded by the server; the
     * next one, signed while the server is down, is kept and said so in both languages, then sent again with 'h'.
     */
    @Test
    void overAServer_recorded_thenServerDownAtTheLastSignature_keptAndSentAgain() throws Exception {
        long before = f.size();
        String secret = org.custody.server.Tokens.newToken();
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(org.custody.server.Tokens.line(secret, java.util.EnumSet.of(org.custody.server.ApiRole.OFFICER),
                "vault-desk", java.util.Set.of("*"))));
        org.custody.server.CustodyServer server = org.custody.server.CustodyServer.start(new org.custody.server.ServerConfig(f.ledger,
                "127.0.0.1", 0, tokens, Duration.ofMinutes(15), 1 << 20, 100, false));
        int port = server.port();
        String url = "http://127.0.0.1:" + port;
        try {
            start(Station.open(new RemoteStationLedger(Api.of(url, secret)), StationCommand.keepBase(dir.resolve("keep"), url), "VAULT",
                    StationFixture.ZONE, clock, Duration.ofMinutes(10)));
            waitFor("Custody station 交接工作站");
            signIn("P007", "P011", "P006", "P009");
            for (BagId bag : List.of(Q1, K2)) {
                type(f.label(bag).payload());
                waitFor("✓ " + bag);
                type("h");
                waitFor("step 环节");
                type("distribute");
                waitFor("releasing 交出人");
                type("1");
                waitFor("receiving 接收人");
                type("2");
                waitFor("witnesses 见证人");
                type("3 4");
                waitFor("counts and seals per bag?");
                type("n");
                for (String who : List.of("P007 李红秀", "P011 戴英秀", "P006 郝桂兰")) {
                    waitFor(who + " (");
                    type("y");
                }
                waitFor("P009 邱国英 (witness 见证): confirm and sign?");
                if (bag.equals(K2)) {
                    server.close();
                }
                type("y");
                if (bag.equals(Q1)) {
                    String s = waitFor("✓ Recorded entry #" + before + " ");
                    assertTrue(s.contains("distribute 出库分发  1 bags 袋  已记录第 " + before + " 条"), s);
                }
            }
            String s = waitFor("NOT RECORDED YET");
            assertTrue(s.contains("全员已签名") && s.contains("send it again"), s);
            assertEquals(before + 1, f.size());
            server = org.custody.server.CustodyServer.start(new org.custody.server.ServerConfig(f.ledger, "127.0.0.1", port, tokens,
                    Duration.ofMinutes(15), 1 << 20, 100, false));
            type("h");
            s = waitFor("send it now? 现在发送?");
            assertTrue(s.contains("not acknowledged by the server: distribute 出库分发, 1 bags"), s);
            type("");
            waitFor("✓ Recorded entry #" + (before + 1) + " ");
            assertEquals(before + 2, f.size());
            type("q");
            running.join(10_000);
            assertEquals(0, status.get());
        } finally {
            server.close();
        }
    }

    @Test
    void ruleBreach_refusedOnScreenBeforeAnyoneIsAskedToSign() throws Exception {
        long before = f.size();
        start("VAULT", Duration.ofMinutes(10));
        signIn("P007", "P011", "P006");
        type(f.label(Q1).payload());
        waitFor("✓ " + Q1);
        type("h");
        waitFor("step 环节");
        type("distribute");
        waitFor("releasing 交出人");
        type("P007");
        waitFor("receiving 接收人");
        type("P011");
        waitFor("witnesses 见证人");
        type("P006");
        waitFor("counts and seals per bag?");
        type("");
        // the last line of the refusal: the screen read before it is drawn whole would show half of it
        String s = waitFor("what to do 处理: distribution needs three staff and a discipline inspector");
        assertTrue(s.contains("REFUSED before anyone signed"), s);
        assertTrue(s.contains("R02  " + org.custody.audit.FindingCode.R02.english() + " / " + org.custody.audit.FindingCode.R02.chinese()), s);
        assertTrue(s.contains("what to do 处理: distribution needs three staff and a discipline inspector"), s);
        assertFalse(s.contains("confirm and sign?"), s);
        assertEquals(before, f.size());
        assertTrue(Files.exists(station.draftFile().file()), "the draft is kept, to be corrected");
    }

    @Test
    void idle_locksTheStation_everyoneSignedOut_scansKept() throws Exception {
        start("VAULT", Duration.ofMinutes(5));
        signIn("P007", "P011");
        type(f.label(Q1).payload());
        waitFor("✓ " + Q1);
        clock.advance(Duration.ofMinutes(6));
        String s = waitFor("Locked after 5 min idle");
        assertTrue(s.contains("Signed in 已签到: nobody 无人"), s);
        assertTrue(s.contains("✓ " + Q1), "the scans stay:\n" + s);
        assertTrue(station.signedIn().isEmpty());
    }

    @Test
    void aPhotoDroppedIntoTheWatchedFolder_isScanned_andTheScreenSaysWhereTheFileWent() throws Exception {
        Path phone = Files.createDirectory(dir.resolve("phone"));
        camera = CameraFolder.watch(phone);
        start("VAULT", Duration.ofMinutes(10));
        waitFor("scan or command");
        Path partial = phone.resolve(".IMG_0001.jpg.part"); // as a phone's sync copies it: a hidden file, then renamed
        StationTest.photo(partial, f.label(Q1).payload(), 11);
        Files.move(partial, phone.resolve("IMG_0001.jpg"));
        String s = waitFor("photo 照片 IMG_0001.jpg → scanned/IMG_0001.jpg (scanned 已扫描)");
        assertTrue(s.contains("✓ " + Q1 + " (photo 照片 IMG_0001.jpg)"), s);
        Files.writeString(phone.resolve("IMG_0002.jpg"), "not a photo");
        s = waitFor("photo 照片 IMG_0002.jpg → rejected/IMG_0002.jpg (rejected 未采用)");
        assertTrue(s.contains("✗ IMG_0002.jpg  not a readable label") && s.contains("not an image"), s);
        assertEquals(1, station.bags().size());
    }

    @Test
    void restart_withADraftInProgress_offersItAgain() throws Exception {
        start("VAULT", Duration.ofMinutes(10));
        type(f.label(Q1).payload());
        type(f.label(Q2).payload());
        waitFor("✓ " + Q2);
        signIn("P007", "P011", "P006", "P009");
        type("h");
        waitFor("step 环节");
        type("distribute");
        waitFor("releasing 交出人");
        type("P007");
        waitFor("receiving 接收人");
        Path kept = station.draftFile().file();
        // the power goes: the station's input ends mid-handoff
        keyboard.close();
        running.join(10_000);
        terminal.close();
        assertTrue(Files.exists(kept));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));

        start("VAULT", Duration.ofMinutes(10));
        waitFor("A handoff in progress was kept: 2 bags, step distribute");
        type("y");
        String s = waitFor("Resumed: 2 bag(s) checked again");
        assertTrue(s.contains("✓ " + Q1) && s.contains("✓ " + Q2), s);
        assertTrue(s.contains("Signed in 已签到: nobody"), "keys are never kept:\n" + s);
        signIn("P007", "P011", "P006", "P009");
        type("h");
        s = waitFor("step 环节 (number or name 序号或名称) [distribute]");
        type("");
        waitFor("releasing 交出人 (number, '-' none 无) [P007]");
    }
}
