package org.custody.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.custody.failure.MalformedInputException;

/**
 * A spreadsheet export read as CSV (RFC 4180, UTF-8, with or without a byte-order mark, a header row).
 * Extra columns are ignored; a missing required column, or an empty required cell, is an error naming the
 * file, line and column.
 */
final class Csv {
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    /** One data row with the line it starts on. */
    record Row(Path file, long line, Map<String, String> cells) {
        /** The cell, trimmed; an error if the cell is empty. */
        String required(String column) {
            String v = cells.get(column);
            if (v == null || v.isBlank()) {
                throw error("column '" + column + "' is empty");
            }
            return v.strip();
        }

        /** The cell, trimmed, or {@code null} if the column is absent or the cell empty. */
        String optional(String column) {
            String v = cells.get(column);
            return v == null || v.isBlank() ? null : v.strip();
        }

        UserError error(String what) {
            return new UserError(file + " line " + line + ": " + what + "; correct the file and import it again (nothing was stored)");
        }
    }

    private Csv() {}

    /** Every data row of {@code file}, which must have the {@code required} columns. */
    static List<Row> read(Path file, List<String> required) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError(file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; split it and import the parts");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new UserError("no file " + file + "; check the path");
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not UTF-8 text; save the spreadsheet as 'CSV UTF-8' and import it again");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage() + "; check the path and its permissions");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> header = parser.getHeaderNames().stream().map(String::strip).toList();
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new UserError(file + " lacks the column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                        + " (its header row has: " + String.join(", ", header) + "); see docs/cli.md for the format");
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                Map<String, String> cells = new java.util.HashMap<>();
                for (Map.Entry<String, String> e : r.toMap().entrySet()) {
                    if (e.getKey() != null) {
                        cells.put(e.getKey().strip(), e.getValue());
                    }
                }
                rows.add(new Row(file, r.getRecordNumber() + 1, cells));
            }
            if (rows.isEmpty()) {
                throw new UserError(file + " has a header row but no data rows; nothing to import");
            }
            return rows;
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException | IllegalArgumentException | MalformedInputException e) {
            throw new UserError(file + " is not valid CSV: " + e.getMessage() + "; check its quoting and import it again");
        }
    }
}
