package org.custody.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.custody.crypto.KeyFileException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.ledger.LedgerLocation;
import org.custody.ledger.WitnessPush;

/**
 * How the server runs. Read from, lowest precedence first: the defaults, a properties file
 * ({@code --config FILE} or {@code CUSTODY_CONFIG}), the environment ({@code CUSTODY_} and the key in
 * upper case with {@code _} for {@code -}), and command-line options ({@code --key value}).
 * The keys are listed in {@link #KEYS} and documented in docs/server.md.
 *
 * @param ledger        the (first) ledger: a file, or a {@code postgresql://} URL (required; created elsewhere, e.g. by
 *                      {@code custody init}); several server instances may serve one PostgreSQL ledger (docs/server.md)
 * @param host          address to listen on; loopback by default, put a TLS proxy in front (docs/server.md)
 * @param port          port to listen on; 0 picks a free one
 * @param tokens        the token file (hashed bearer tokens); without it every protected route answers 401
 * @param draftTtl      how long a draft waits for its signatures before it expires
 * @param maxBodyBytes  largest request body accepted
 * @param maxOpenDrafts most drafts open at once
 * @param metricsPublic serve {@code /metrics} without a token (only when the port is reachable by the scraper alone)
 * @param checkpointKey the ledger's checkpoint key file; when set the server signs checkpoints while the ledger grows
 * @param checkpointPassphraseFile the file whose first line is that key file's passphrase (required with the key)
 * @param checkpointInterval how often the server checks whether the ledger grew and signs a checkpoint (at most 1 s)
 * @param ledgers       every ledger to serve, one per exam, {@code ledger} first ({@code null}: {@code ledger} alone)
 * @param witnesses     C2SP tlog-witnesses each new checkpoint is sent to (add-checkpoint), their cosignatures stored
 *                      with it; config key {@code witnesses}: {@code <submission prefix URL> <verifier key>}, several
 *                      separated by {@code ;}
 * @param tsa           an RFC 3161 time-stamping authority's URL: each checkpoint the server signs is sent to it for a
 *                      token ({@code null}: none); needs a checkpoint key
 */
public record ServerConfig(LedgerLocation ledger, String host, int port, Path tokens, Duration draftTtl, long maxBodyBytes,
                           int maxOpenDrafts, boolean metricsPublic, Path checkpointKey, Path checkpointPassphraseFile,
                           Duration checkpointInterval, List<LedgerLocation> ledgers, List<WitnessPush.Endpoint> witnesses,
                           String tsa) {
    /** Every configuration key. */
    public static final Set<String> KEYS = Set.of("ledger", "host", "port", "tokens", "draft-ttl", "max-body-bytes",
            "max-open-drafts", "metrics-public", "checkpoint-key", "checkpoint-passphrase-file", "checkpoint-interval",
            "witnesses", "tsa");
    /** The default and longest checkpoint interval: a checkpoint at least once a second while the ledger grows. */
    public static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    public ServerConfig {
        if (ledgers != null && !ledgers.isEmpty()) {
            ledger = ledgers.get(0);
        }
        if (ledger == null) {
            throw new IllegalArgumentException("the ledger file is required (--ledger FILE, CUSTODY_LEDGER or 'ledger' in the config file)");
        }
        ledgers = ledgers == null || ledgers.isEmpty() ? List.of(ledger) : List.copyOf(ledgers);
        Set<Object> seen = new java.util.HashSet<>();
        for (LedgerLocation l : ledgers) {
            if (!seen.add(l instanceof LedgerLocation.File f ? f.path().toAbsolutePath().normalize() : l.toString())) {
                throw new IllegalArgumentException("the ledger file " + l + " is given twice / 账本文件 " + l + " 重复给出");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (draftTtl.isNegative() || draftTtl.isZero() || draftTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("draft-ttl must be positive and at most 7 days, got " + draftTtl);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 64L << 20) {
            throw new IllegalArgumentException("max-body-bytes must be 1024 to 67108864, got " + maxBodyBytes);
        }
        if (maxOpenDrafts < 1) {
            throw new IllegalArgumentException("max-open-drafts must be at least 1, got " + maxOpenDrafts);
        }
        if ((checkpointKey == null) != (checkpointPassphraseFile == null)) {
            throw new IllegalArgumentException("checkpoint-key and checkpoint-passphrase-file go together: give both or neither");
        }
        if (checkpointInterval == null) {
            checkpointInterval = MAX_CHECKPOINT_INTERVAL;
        }
        if (checkpointInterval.toMillis() < 10 || checkpointInterval.compareTo(MAX_CHECKPOINT_INTERVAL) > 0) {
            throw new IllegalArgumentException("checkpoint-interval must be 10 ms to 1 s, got " + checkpointInterval);
        }
        witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
        if (!witnesses.isEmpty() && checkpointKey == null) {
            throw new IllegalArgumentException("witnesses cosign the checkpoints the server signs: give checkpoint-key too"
                    + " / 配置见证节点时须同时配置检查点密钥");
        }
        if (tsa != null) {
            if (checkpointKey == null) {
                throw new IllegalArgumentException("tsa timestamps the checkpoints the server signs: give checkpoint-key too"
                        + " / tsa 为服务器签署的检查点申请时间戳，须同时给出 checkpoint-key");
            }
            try {
                org.custody.timestamp.TsaClient.of(tsa);
            } catch (org.custody.failure.MalformedInputException e) {
                throw new IllegalArgumentException("tsa: " + e.getMessage(), e);
            }
        }
    }

    /** A configuration of these ledgers without witnesses. */
    public ServerConfig(LedgerLocation ledger, String host, int port, Path tokens, Duration draftTtl, long maxBodyBytes,
                        int maxOpenDrafts, boolean metricsPublic, Path checkpointKey, Path checkpointPassphraseFile,
                        Duration checkpointInterval, List<LedgerLocation> ledgers) {
        this(ledger, host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic, checkpointKey,
                checkpointPassphraseFile, checkpointInterval, ledgers, null, null);
    }

    /** This configuration sending each new checkpoint to {@code list} for cosignatures. */
    public ServerConfig withWitnesses(List<WitnessPush.Endpoint> list) {
        return new ServerConfig(ledger, host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic,
                checkpointKey, checkpointPassphraseFile, checkpointInterval, ledgers, list, tsa);
    }

    /**
     * The witnesses of a {@code witnesses} value: {@code <URL> <verifier key>} pairs separated by {@code ;}.
     *
     * @throws IllegalArgumentException naming the pair that is not one
     */
    static List<WitnessPush.Endpoint> witnesses(String value) {
        List<WitnessPush.Endpoint> out = new java.util.ArrayList<>();
        for (String pair : value.split(";", -1)) {
            String[] f = pair.strip().split("\\s+");
            try {
                if (f.length != 2) {
                    throw new IllegalArgumentException("expected '<URL> <verifier key>'");
                }
                out.add(new WitnessPush.Endpoint(java.net.URI.create(f[0]), org.custody.checkpoint.NoteKey.parse(f[1])));
            } catch (IllegalArgumentException | org.custody.failure.MalformedInputException e) {
                throw new IllegalArgumentException("witnesses: '" + pair.strip() + "' is not '<submission prefix URL> <witness"
                        + " verifier key>': " + e.getMessage() + " / 见证节点配置格式错误", e);
            }
        }
        return out;
    }

    /** A configuration of the one ledger {@code ledger} (add others with {@link #withLedgers}). */
    public ServerConfig(Path ledger, String host, int port, Path tokens, Duration draftTtl, long maxBodyBytes,
                        int maxOpenDrafts, boolean metricsPublic, Path checkpointKey, Path checkpointPassphraseFile,
                        Duration checkpointInterval) {
        this(ledger == null ? null : LedgerLocation.of(ledger), host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic, checkpointKey,
                checkpointPassphraseFile, checkpointInterval, null);
    }

    /** A configuration without a checkpoint key (the server then signs no checkpoints). */
    public ServerConfig(Path ledger, String host, int port, Path tokens, Duration draftTtl, long maxBodyBytes,
                        int maxOpenDrafts, boolean metricsPublic) {
        this(ledger, host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic, null, null, null);
    }

    /** This configuration signing checkpoints with {@code key}, whose passphrase is the first line of {@code passphraseFile}. */
    public ServerConfig withCheckpointKey(Path key, Path passphraseFile, Duration interval) {
        return new ServerConfig(ledger, host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic, key,
                passphraseFile, interval, ledgers, witnesses, tsa);
    }

    /** This configuration having each checkpoint it signs timestamped by the TSA at {@code url}. */
    public ServerConfig withTsa(String url) {
        return new ServerConfig(ledger, host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic, checkpointKey,
                checkpointPassphraseFile, checkpointInterval, ledgers, witnesses, url);
    }

    /** This configuration serving {@code files}, one ledger per exam (the first becomes {@link #ledger()}). */
    public ServerConfig withLedgers(List<Path> files) {
        return withLocations(files.stream().map(LedgerLocation::of).toList());
    }

    /** This configuration serving the ledgers at {@code files}, one per exam (the first becomes {@link #ledger()}). */
    public ServerConfig withLocations(List<LedgerLocation> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the ledger file is required (--ledger FILE) / 须给出账本文件（--ledger 文件）");
        }
        return new ServerConfig(files.get(0), host, port, tokens, draftTtl, maxBodyBytes, maxOpenDrafts, metricsPublic,
                checkpointKey, checkpointPassphraseFile, checkpointInterval, files, witnesses, tsa);
    }

    /** Reads the checkpoint key with its passphrase (wiped after use); a missing or wrong file is an IllegalArgumentException. */
    static SigningKey readCheckpointKey(ServerConfig config) {
        char[] passphrase;
        try {
            // fail closed, wherever the server is built (not only by 'custody serve'): a passphrase others may read is not one
            java.util.Optional<String> exposed = org.custody.files.OwnerOnly.exposure(config.checkpointPassphraseFile(),
                    "checkpoint passphrase file", "检查点口令文件");
            if (exposed.isPresent()) {
                throw new IllegalArgumentException(exposed.get());
            }
            passphrase = Files.readAllLines(config.checkpointPassphraseFile(), StandardCharsets.UTF_8).stream()
                    .findFirst().orElse("").toCharArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint-passphrase-file " + config.checkpointPassphraseFile()
                    + ": " + e.getMessage(), e);
        }
        try {
            return KeyFiles.read(config.checkpointKey(), passphrase);
        } catch (KeyFileException e) {
            throw new IllegalArgumentException("checkpoint-key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The defaults for {@code ledger}: loopback, port 8080, no tokens, drafts live 15 minutes, 1 MiB bodies. */
    public static ServerConfig defaults(Path ledger) {
        return new ServerConfig(ledger, "127.0.0.1", 8080, null, Duration.ofMinutes(15), 1L << 20, 10_000, false);
    }

    /**
     * Merges the sources. {@code options} are command-line values by key (e.g. {@code port -> 9000}), and
     * may name the config file under {@code config}.
     */
    public static ServerConfig load(Map<String, String> options, Map<String, String> environment) {
        Map<String, String> merged = new LinkedHashMap<>();
        String configFile = options.getOrDefault("config", environment.get("CUSTODY_CONFIG"));
        if (configFile != null) {
            merged.putAll(readFile(Path.of(configFile)));
        }
        for (String key : KEYS) {
            String value = environment.get("CUSTODY_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null) {
                merged.put(key, value);
            }
        }
        options.forEach((k, v) -> {
            if (!k.equals("config")) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k);
                }
                merged.put(k, v);
            }
        });
        ServerConfig d = defaults(Path.of("unset"));
        List<LedgerLocation> ledgers = merged.containsKey("ledger") ? ledgers(merged.get("ledger")) : List.of();
        return new ServerConfig(ledgers.isEmpty() ? null : ledgers.get(0),
                merged.getOrDefault("host", d.host()),
                integer(merged, "port", d.port()),
                merged.containsKey("tokens") ? Path.of(merged.get("tokens")) : null,
                merged.containsKey("draft-ttl") ? duration(merged.get("draft-ttl")) : d.draftTtl(),
                merged.containsKey("max-body-bytes") ? integer(merged, "max-body-bytes", 0) : d.maxBodyBytes(),
                integer(merged, "max-open-drafts", d.maxOpenDrafts()),
                bool(merged, "metrics-public", d.metricsPublic()),
                merged.containsKey("checkpoint-key") ? Path.of(merged.get("checkpoint-key")) : null,
                merged.containsKey("checkpoint-passphrase-file") ? Path.of(merged.get("checkpoint-passphrase-file")) : null,
                merged.containsKey("checkpoint-interval") ? duration("checkpoint-interval", merged.get("checkpoint-interval")) : null,
                ledgers, merged.containsKey("witnesses") ? witnesses(merged.get("witnesses")) : List.of(), merged.get("tsa"));
    }

    /**
     * The ledgers of a {@code ledger} value: one file or {@code postgresql://} URL, or several separated by commas (a
     * server of several exams; on the command line give {@code --ledger} once per ledger instead).
     */
    static List<LedgerLocation> ledgers(String value) {
        List<LedgerLocation> out = new java.util.ArrayList<>();
        for (String file : value.split(",", -1)) {
            if (file.isBlank()) {
                throw new IllegalArgumentException("ledger '" + value + "' names an empty file; separate several ledger files with"
                        + " commas, e.g. ledger=/srv/custody/HN-2026.db,/srv/custody/SH-2026.db / ledger 中有空的文件名；多个账本文件以逗号分隔");
            }
            out.add(LedgerLocation.parse(file.strip()));
        }
        return out;
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("config file " + file + ": unknown key '" + key + "'; known keys are "
                        + KEYS.stream().sorted().toList());
            }
            out.put(key, p.getProperty(key).strip());
        }
        return out;
    }

    private static int integer(Map<String, String> m, String key, int fallback) {
        String v = m.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static boolean bool(Map<String, String> m, String key, boolean fallback) {
        String v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** ISO-8601 ({@code PT15M}) or a number with a unit: {@code 90s}, {@code 15m}, {@code 2h}. */
    static Duration duration(String v) {
        return duration("draft-ttl", v);
    }

    /** ISO-8601 ({@code PT15M}) or a number with a unit: {@code 500ms}, {@code 90s}, {@code 15m}, {@code 2h}. */
    static Duration duration(String key, String v) {
        try {
            if (v.matches("\\d{1,9}ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("\\d{1,9}[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                char unit = v.charAt(v.length() - 1);
                return unit == 's' ? Duration.ofSeconds(n) : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofHours(n);
            }
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be like 15m, 90s, 500ms, 2h or PT15M, got '" + v + "'", e);
        }
    }
}
