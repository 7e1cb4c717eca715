package org.custody.ledger.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.custody.failure.MalformedInputException;

/**
 * Where a ledger is kept in PostgreSQL: {@code postgresql://[user[:password]@]host[:port]/database[?schema=NAME]}.
 * Each ledger is one PostgreSQL schema of the database ({@code schema}, default {@value #DEFAULT_SCHEMA}), so one
 * database holds many ledgers. The password is taken, as libpq takes it, from the URL, else the {@code PGPASSWORD}
 * environment variable, else the driver reads the password file ({@code PGPASSFILE} or {@code ~/.pgpass}). The user
 * is the URL's, else {@code PGUSER}, else the operating system user.
 *
 * <p>{@link #toString()} and {@link #display()} never show the password; nothing else of this class does either.
 */
public final class PostgresUrl {
    /** The schema a URL without {@code ?schema=} names. */
    public static final String DEFAULT_SCHEMA = "custody";
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String schema;

    private PostgresUrl(String host, int port, String database, String user, String password, String schema) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Whether {@code text} is meant as a PostgreSQL URL rather than a file name. */
    public static boolean looksLikeOne(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://");
    }

    /** Parses a URL, with the environment's {@code PGPASSWORD} and {@code PGUSER}. */
    public static PostgresUrl parse(String text) {
        return parse(text, System.getenv());
    }

    /** Parses a URL, taking {@code PGPASSWORD} and {@code PGUSER} from {@code env}. */
    static PostgresUrl parse(String text, Map<String, String> env) {
        if (!looksLikeOne(text)) {
            throw bad(text, "a PostgreSQL ledger URL starts with postgresql://", "PostgreSQL 账本地址须以 postgresql:// 开头");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad(text, "it does not parse (" + e.getReason() + ")", "无法解析");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad(text, "it names no host", "未指定主机");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (!DATABASE.matcher(database).matches()) {
            throw bad(text, "it names no database, or one with characters other than letters, digits, '_', '.', '-'",
                    "未指定数据库，或数据库名含非法字符");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (!name.equals("schema")) {
                    throw bad(text, "unknown parameter '" + name + "' (only schema= is read)", "未知参数 " + name);
                }
                query.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        String schema = query.getOrDefault("schema", DEFAULT_SCHEMA);
        if (!SCHEMA.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw bad(text, "schema '" + schema + "' is not a lower-case name of letters, digits and '_' (not pg_...)",
                    "模式名须为小写字母、数字和下划线");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
        }
        if (password == null) {
            password = env.get("PGPASSWORD");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new PostgresUrl(uri.getHost(), port, database, user, password, schema);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static MalformedInputException bad(String text, String english, String chinese) {
        return new MalformedInputException(chinese + "：" + redact(text) + " / not a PostgreSQL ledger URL: " + english);
    }

    /** {@code text} with any password between {@code ://user:} and {@code @} replaced, for messages. */
    static String redact(String text) {
        return text.replaceFirst("^(postgres(?:ql)?://[^:/@]*):[^@/]*@", "$1:***@");
    }

    /** The JDBC URL of the database (no user, no password: those are passed apart). */
    String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    String user() {
        return user;
    }

    /** The password, or {@code null} for the driver to look in the password file. */
    String password() {
        return password;
    }

    /** The schema that holds the ledger. */
    public String schema() {
        return schema;
    }

    /** This URL for another schema of the same database (same user and password). */
    public PostgresUrl withSchema(String other) {
        if (!SCHEMA.matcher(other).matches() || other.startsWith("pg_")) {
            throw new MalformedInputException("schema '" + other + "' is not a lower-case name of letters, digits and '_'");
        }
        return new PostgresUrl(host, port, database, user, password, other);
    }

    /** The URL without its password, for messages and logs. */
    public String display() {
        return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database
                + "?schema=" + schema;
    }

    /** Who and where, to key connection pools by: the password too, never shown. */
    String poolKey() {
        return display() + "\n" + (password == null ? "" : password);
    }

    @Override
    public String toString() {
        return display();
    }
}
