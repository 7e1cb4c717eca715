package org.custody.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.custody.cli.qr.Photos;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.label.LabelVerdict;
import org.custody.label.MalformedLabelException;
import org.custody.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody scan}: reads bag labels from photos or a USB scanner and checks them against a ledger (I10). */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read bag labels (扫描标签) from image files (a phone photo: PNG, JPEG, GIF, BMP, TIFF) or, with no "
                + "IMAGE or '-', from a USB barcode scanner, which types each label and Enter (one label a line on "
                + "standard input; Ctrl-D ends).",
                "With --ledger, each label is checked against the bag's seal entry: OK, or I10 (swapped, forged or stale "
                        + "label; or a bag the ledger never registered), or a label of another ledger.",
                "Exit status: 0 every label read (and checked OK), 3 a label did not check out (I10), 2 usage or input "
                        + "error (an unreadable image or line, or a label of another ledger) and no label failed its check."})
final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "image files; '-' or none: read scanned lines from standard input")
    List<String> images = new ArrayList<>();

    @Option(names = "--ledger", paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "check each label against this ledger (a file or a postgresql:// URL)")
    org.custody.ledger.LedgerLocation ledger;

    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default: a line per label as it is read) or json (schema custody-scan/v1, at the end)")
    Format format;

    /** One label read (or not) from one source. */
    private record Scanned(String source, String payload, Label label, LabelVerdict verdict, String error) {
        String status() {
            if (error != null) return "error";
            if (verdict == null) return "unchecked";
            return verdict.status().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Scanned> results = new ArrayList<>();
        try (OpenLedgers.Lease lease = ledger == null ? null : OpenLedgers.open(ledger)) {
            Ledger l = lease == null ? null : lease.ledger();
            if (images.isEmpty() || images.equals(List.of("-"))) {
                if (System.console() != null) {
                    TerminalEcho.beforeVisibleInput(); // a scanner's labels are shown as typed
                }
                if (System.console() != null && format == Format.text) {
                    err.println("scan labels now (Ctrl-D to finish)" + (l == null ? "" : "; checking against " + l.id()));
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                int n = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    n++;
                    String text = line.strip().replace("\uFEFF", "");
                    if (!text.isEmpty()) {
                        emit(out, results, check(l, "stdin:" + n, text));
                    }
                }
            } else {
                for (String image : images) {
                    if (image.equals("-")) {
                        err.println("error: '-' (standard input) cannot be mixed with image files");
                        return 2;
                    }
                    for (Scanned s : fromImage(l, image)) {
                        emit(out, results, s);
                    }
                }
            }
        }
        int status = exitStatus(results);
        if (format == Format.json) {
            out.print(json(results, status));
        } else {
            out.println(summary(results));
        }
        out.flush();
        return status;
    }

    private void emit(PrintWriter out, List<Scanned> results, Scanned s) {
        results.add(s);
        if (format == Format.text) {
            out.println(text(s));
            out.flush();
        }
    }

    private static List<Scanned> fromImage(Ledger l, String name) {
        Decoded d = decode(Path.of(name));
        if (d.error() != null) {
            return List.of(failed(name, d.error()));
        }
        List<Scanned> out = new ArrayList<>();
        for (int i = 0; i < d.payloads().size(); i++) {
            out.add(check(l, d.payloads().size() == 1 ? name : name + "#" + (i + 1), d.payloads().get(i)));
        }
        return out;
    }

    /** What an image file held: the payloads of the QR codes found in it, or why none was read ({@code error} not null). */
    record Decoded(List<String> payloads, String error) {}

    /**
     * The label QR codes in the image {@code file} (a scan or a phone photo, read by {@link Photos}), or why none could
     * be read. Used by {@code custody scan} and by the station's camera folder.
     */
    static Decoded decode(Path file) {
        try {
            return new Decoded(Photos.codes(file), null);
        } catch (Photos.UnreadablePhotoException e) {
            return new Decoded(List.of(), e.getMessage().replace("the code flat", "the label flat"));
        }
    }

    private static Scanned failed(String source, String error) {
        return new Scanned(source, null, null, null, error);
    }

    private static Scanned check(Ledger l, String source, String payload) {
        Label label;
        try {
            label = Label.parse(payload);
        } catch (MalformedLabelException e) {
            return new Scanned(source, payload, null, null, e.getMessage());
        }
        return new Scanned(source, payload, label, l == null ? null : l.checkLabel(label), null);
    }

    /**
     * 3 if any label failed its check (I10, an integrity finding, as {@code custody verify} and {@code handoff} use);
     * else 2 if any input could not be read, any label is another ledger's, or nothing was scanned; else 0.
     */
    static int exitStatus(List<Scanned> results) {
        boolean unusable = results.isEmpty();
        for (Scanned s : results) {
            if (s.verdict() != null && s.verdict().finding() != null) {
                return Exit.INTEGRITY;
            }
            unusable |= s.error() != null || (s.verdict() != null && !s.verdict().ok());
        }
        return unusable ? Exit.USAGE : Exit.OK;
    }

    private static String text(Scanned s) {
        if (s.error() != null) {
            return s.source() + "  error: " + s.error();
        }
        Label label = s.label();
        if (s.verdict() == null) {
            return s.source() + "  " + label.bag() + "  read  ledger " + label.ledger() + ", seal entry " + label.seq()
                    + " (not checked: give --ledger FILE)";
        }
        LabelVerdict v = s.verdict();
        switch (v.status()) {
            case OK:
                return s.source() + "  " + label.bag() + "  OK  label matches seal entry " + label.seq() + " (标签相符)";
            case OTHER_LEDGER:
                return s.source() + "  " + label.bag() + "  OTHER LEDGER  " + v.message();
            default:
                var f = v.finding();
                return s.source() + "  " + label.bag() + "  " + f.code() + " " + f.code().findingClass().name().toLowerCase(Locale.ROOT)
                        + "/" + f.code().severity().name().toLowerCase(Locale.ROOT)
                        + (v.status() == LabelVerdict.Status.UNKNOWN_BAG ? "  UNKNOWN BAG  " : "  ")
                        + v.message() + (f.expected() == null ? "" : " (expected " + f.expected() + ", found " + f.actual() + ")")
                        + "  " + f.chinese();
        }
    }

    private static String summary(List<Scanned> results) {
        long ok = results.stream().filter(s -> s.verdict() != null && s.verdict().ok()).count();
        long findings = results.stream().filter(s -> s.verdict() != null && s.verdict().finding() != null).count();
        long other = results.stream().filter(s -> s.verdict() != null && s.verdict().status() == LabelVerdict.Status.OTHER_LEDGER).count();
        long unchecked = results.stream().filter(s -> s.error() == null && s.verdict() == null).count();
        long errors = results.stream().filter(s -> s.error() != null).count();
        StringBuilder b = new StringBuilder().append(results.size()).append(results.size() == 1 ? " label" : " labels").append(':');
        if (ok > 0) b.append(' ').append(ok).append(" OK,");
        if (findings > 0) b.append(' ').append(findings).append(" I10,");
        if (other > 0) b.append(' ').append(other).append(" of another ledger,");
        if (unchecked > 0) b.append(' ').append(unchecked).append(" read, not checked,");
        if (errors > 0) b.append(' ').append(errors).append(errors == 1 ? " error," : " errors,");
        if (results.isEmpty()) b.append(" nothing scanned,");
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private String json(List<Scanned> results, int status) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", "custody-scan/v1");
        ArrayNode labels = root.putArray("labels");
        for (Scanned s : results) {
            ObjectNode n = labels.addObject();
            n.put("source", s.source());
            if (s.payload() != null) n.put("payload", s.payload());
            if (s.label() != null) {
                n.put("ledger", s.label().ledger().value());
                n.put("bag", s.label().bag().value());
                n.put("seq", s.label().seq());
            }
            n.put("status", s.status());
            LabelVerdict v = s.verdict();
            if (v != null && v.finding() != null) {
                n.put("code", v.finding().code().name());
                if (v.finding().expected() != null) {
                    n.put("expected", v.finding().expected());
                    n.put("found", v.finding().actual());
                }
            }
            if (v != null && v.expected() != null && !v.ok()) n.put("expectedLabel", v.expected().payload());
            if (v != null) n.put("message", v.message());
            if (s.error() != null) n.put("error", s.error());
        }
        root.put("exitStatus", status);
        try {
            return mapper.writeValueAsString(root) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
