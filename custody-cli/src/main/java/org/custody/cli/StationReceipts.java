package org.custody.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.custody.cli.qr.ReceiptSlip;
import org.custody.files.OwnerOnly;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.receipt.Receipt;
import org.custody.receipt.ReceiptCheck;

/**
 * The station's receipts (交接单): after each handoff it appends, the receipt PDF is written to a folder
 * ({@code --receipts DIR}, as {@code LEDGER-SEQ.pdf}) and/or given to a printer command ({@code --receipt-printer}, e.g.
 * {@code lp -d RECEIPT}: the command's words, split at spaces and run without a shell, with the PDF's path added last).
 * The handoff is stored before any of this: a receipt that cannot be written or printed is reported on the screen, never
 * undoes it, and {@code custody receipt SEQ} prints it again.
 */
final class StationReceipts {
    /** How long a printer command may take to accept the file. */
    static final long PRINTER_SECONDS = 30;

    private final Path folder;
    private final List<String> printer;
    private final ReceiptSlip.Paper paper;
    private final ZoneId zone;
    private final Clock clock;

    /**
     * @param folder  where to keep each receipt, or {@code null}
     * @param printer the printer command, or {@code null}
     */
    StationReceipts(Path folder, String printer, ReceiptSlip.Paper paper, ZoneId zone, Clock clock) {
        this.folder = folder;
        this.printer = printer == null || printer.isBlank() ? List.of() : Arrays.asList(printer.strip().split("\\s+"));
        this.paper = paper;
        this.zone = zone;
        this.clock = clock;
        if (folder != null) {
            try {
                OwnerOnly.createDirectories(folder);
            } catch (IOException e) {
                throw new UserError("cannot create the receipts folder " + folder + ": " + e.getMessage() + " (无法创建交接单目录)");
            }
        }
    }

    /** Whether the station makes receipts at all. */
    boolean enabled() {
        return folder != null || !printer.isEmpty();
    }

    /** After {@code done} was appended to {@code ledger}: a line for the screen saying where its receipt went, or why not. */
    String after(Ledger ledger, Appended done) {
        Path file = null;
        boolean temporary = folder == null;
        try {
            Receipt receipt = ReceiptCheck.issue(ledger, done.seq());
            byte[] pdf = ReceiptCommand.pdf(ledger, receipt, paper, zone, clock.instant());
            if (temporary) {
                file = OwnerOnly.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "custody-receipt-", ".pdf");
                Files.write(file, pdf);
            } else {
                file = folder.resolve(ledger.id().value().replace(':', '~') + "-" + done.seq() + ".pdf");
                LabelCommand.write(file, pdf);
            }
            String where = temporary ? "" : " written to " + file + " 已保存";
            if (printer.isEmpty()) {
                return "receipt 交接单" + where;
            }
            String failed = print(file);
            return failed == null ? "receipt 交接单" + where + (where.isEmpty() ? "" : ",") + " sent to the printer 已送打印"
                    : "receipt NOT printed 交接单未打印: " + failed + (where.isEmpty() ? "" : ";" + where)
                    + "; print it with 'custody receipt " + done.seq() + "' (handoff recorded 交接已记录)";
        } catch (IOException | RuntimeException e) {
            return "receipt NOT made 交接单未生成: " + e.getMessage() + "; print it with 'custody receipt " + done.seq()
                    + "' (handoff recorded 交接已记录)";
        } finally {
            if (temporary && file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary copy of a receipt left behind holds nothing the ledger does not
                }
            }
        }
    }

    /** Runs the printer command on {@code file}; null if it accepted the file, else why not. */
    private String print(Path file) throws IOException {
        List<String> command = new ArrayList<>(printer);
        command.add(file.toAbsolutePath().toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "cannot run '" + String.join(" ", printer) + "': " + e.getMessage();
        }
        p.getOutputStream().close();
        try {
            if (!p.waitFor(PRINTER_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'" + String.join(" ", printer) + "' did not finish in " + PRINTER_SECONDS + " s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return "interrupted while printing";
        }
        if (p.exitValue() != 0) {
            String output = new String(p.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
            return "'" + String.join(" ", printer) + "' failed (exit " + p.exitValue() + ")"
                    + (output.isEmpty() ? "" : ": " + output.lines().findFirst().orElse(""));
        }
        return null;
    }
}
