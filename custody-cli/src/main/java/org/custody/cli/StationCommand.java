package org.custody.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custody station}: the handoff terminal at the vault door, left running all shift. */
@Command(name = "station", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The handoff terminal (交接工作站) for a whole shift, full screen: the people on duty sign in once (their keys"
                + " are unlocked together and held in memory only, until they sign out, the station stands idle for the time the"
                + " exam's policy sets (or the shorter --idle), or it quits); each scanned label is checked at once (✓ with the bag"
                + " and where the ledger says it is, or ✗ with the"
                + " reason; a bad scan is dropped, never the batch); 'h' records the handoff of the bags scanned, checked against"
                + " the custody rules before anyone signs, then confirmed and signed by each person in turn.",
                "A handoff in progress is kept beside the ledger (FILE.station-PLACE.json, owner-only) and offered again when the"
                        + " station starts. '?' on the screen lists its commands. See docs/cli.md, 'custody station'.",
                "With --server URL the station works against a Custody server's ledger (a token of an officer of the sites"
                        + " served here): the server checks each scan's bag and the rules before anyone signs; each person signs"
                        + " on this station (keys never leave it) and the signed handoff is posted whole. Its draft is kept in"
                        + " --keep DIR; a signed handoff the server did not acknowledge is kept there too and sent again."})
final class StationCommand implements Callable<Integer> {
    @Option(names = {"-l", "--ledger"}, paramLabel = "FILE", description = "the ledger file (SQLite); or --server URL")
    Path ledger;

    @picocli.CommandLine.Mixin
    ServerOptions remote;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "with --server: the folder where the station keeps its draft in progress and any signed handoff not"
                    + " yet acknowledged (default: ~/.custody/station; created owner-only)")
    Path keepDir;

    @Option(names = "--place", required = true, paramLabel = "PLACE-ID", description = "where the station stands, e.g. VAULT or K01")
    String place;

    @Option(names = "--keys-dir", paramLabel = "DIR", description = "find each person's key file as DIR/PERSON.key (else asked at sign-in)")
    Path keysDir;

    @Option(names = "--pkcs11-module", paramLabel = "FILE",
            description = "the PKCS#11 module (.so) of token keys signed in with a pkcs11: URI that names none"
                    + " (default: the CUSTODY_PKCS11_MODULE environment variable)")
    Path pkcs11Module;

    @Option(names = "--idle", paramLabel = "TIME",
            description = "lock sooner than the exam's policy says (its stationIdleMinutes, 10 min if not stated; 'custody policy"
                    + " set --station-idle'): sign everyone out after this long without a key pressed: 10m, 90s")
    String idle;

    @Option(names = "--watch", paramLabel = "DIR",
            description = "also take photos of labels dropped into DIR (a phone's or camera's folder) as scans; each file is"
                    + " moved to DIR/scanned/ or DIR/rejected/, never deleted")
    Path watch;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone for times shown (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Option(names = "--receipts", paramLabel = "DIR",
            description = "after each handoff, write its receipt (交接单, PDF) into DIR as LEDGER-SEQ.pdf (created if missing)")
    Path receiptsDir;

    @Option(names = "--receipt-printer", paramLabel = "COMMAND",
            description = "after each handoff, print its receipt with COMMAND and the PDF's path, e.g. 'lp -d RECEIPT' (no shell)")
    String receiptPrinter;

    @Option(names = "--receipt-paper", defaultValue = "80mm", paramLabel = "PAPER",
            description = "80mm (default: a receipt roll) or a4")
    String receiptPaper;

    @Override
    public Integer call() {
        Duration idleTime = idle == null ? null : duration(idle);
        CameraFolder camera = watch == null ? null : CameraFolder.watch(watch);
        StationReceipts receipts = new StationReceipts(receiptsDir, receiptPrinter, ReceiptCommand.paper(receiptPaper), zone,
                Clock.systemUTC());
        checkWhere();
        if (System.console() == null) { // standard input or output is not a terminal (checked before JLine takes them over)
            throw noTerminal();
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).encoding(StandardCharsets.UTF_8).build()) {
            if (terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                throw noTerminal();
            }
            try (Station station = open(idleTime)) {
                station.tokenModule(pkcs11Module);
                station.receipts(receipts);
                return new StationScreen(station, terminal, keysDir, 1000, camera).run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The station over the ledger file, or over the server's ledger with its draft in the keep folder. */
    private Station open(Duration idleTime) {
        if (ledger != null) {
            return Station.open(ledger, place, zone, Clock.systemUTC(), idleTime);
        }
        Path base = keepBase(keepDir == null ? Path.of(System.getProperty("user.home"), ".custody", "station") : keepDir,
                remote.api().url(Api.V1 + "/"));
        RemoteStationLedger server = new RemoteStationLedger(remote.api());
        try {
            server.id(); // the server answers, and its ledger is one this token may use, before the screen starts
            server.people();
        } catch (ServerError e) {
            throw new UserError("the station cannot start: " + e.getMessage() + " (无法连接服务器或令牌无效，工作站未启动)");
        }
        return Station.open(server, base, place, zone, Clock.systemUTC(), idleTime);
    }

    /** Refuses a wrong combination of options before the screen starts. */
    private void checkWhere() {
        if ((ledger == null) == (remote.server == null)) {
            throw new UserError("give either --ledger FILE or --server URL (and a token), not both or neither"
                    + " (请指定 --ledger 账本文件 或 --server 服务器地址，二者选一)");
        }
        if (ledger != null) {
            remote.requireServerForToken();
            if (keepDir != null) {
                throw new UserError("--keep is for --server: with --ledger the draft is kept beside the ledger file"
                        + " (--keep 仅用于 --server)");
            }
        } else if (receiptsDir != null || receiptPrinter != null) {
            throw new UserError("--receipts and --receipt-printer work with --ledger FILE only for now"
                    + " (交接单打印目前仅支持本地账本文件)");
        }
    }

    /**
     * The name standing for the server's ledger in the keep folder (created owner-only): the server's URL and exam with
     * every character but letters, digits, '.', '_' and '-' written as '_', e.g. {@code DIR/http___127.0.0.1_8080}.
     */
    static Path keepBase(Path dir, String url) {
        try {
            org.custody.files.OwnerOnly.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the station's folder " + dir + ": " + e.getMessage() + " (无法创建工作站文件夹)");
        }
        return dir.resolve(url.replaceAll("/+$", "").replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private static UserError noTerminal() {
        return new UserError("custody station needs a terminal (a screen and a keyboard): run it in a terminal window, not"
                + " with its input or output redirected; for scripts use 'custody handoff' (工作站须在终端中运行)");
    }

    /** {@code 10m}, {@code 90s}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new UserError("--idle '" + text + "' is not a time: write 10m, 90s or 1h (闲置时间格式不符)");
        }
    }
}
