package org.custody.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens, stored only as SHA-256 hashes in a token file, one per line:
 *
 * <pre>sha256:&lt;64 hex digits&gt; &lt;roles, comma-separated&gt; &lt;name&gt; [&lt;sites, comma-separated&gt;] [exams=&lt;ledger ids, comma-separated, or *&gt;]</pre>
 *
 * The {@code exams=} field scopes the token to those ledgers (exams) of a server that serves several; a token
 * without it keeps its old meaning on a server of one ledger and may use no ledger of a server of several
 * (docs/server.md, "Many exams on one server").
 *
 * Blank lines and lines starting with {@code #} are ignored. A presented token is hashed and compared
 * with every stored hash in constant time ({@link MessageDigest#isEqual}); tokens themselves are never
 * stored or logged. Tokens are 32 random bytes, written as {@code cust_} and unpadded base64url.
 */
public final class Tokens {
    private static final String PREFIX = "cust_";
    /** The token-file field that scopes a token to exams (ledger ids). */
    static final String EXAMS = "exams=";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Stored(byte[] hash, Caller caller) {}

    private final List<Stored> stored;

    private Tokens(List<Stored> stored) {
        this.stored = List.copyOf(stored);
    }

    /** Reads a token file; every mistake names its line. */
    public static Tokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    static Tokens parse(List<String> lines, String source) {
        List<Stored> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length < 3 || f.length > 5) {
                throw new IllegalArgumentException(where + ": expected 'sha256:<hex> <roles> <name> [<sites>] [exams=<ids>]', found "
                        + f.length + " fields");
            }
            String sitesField = null;
            Set<String> exams = Set.of();
            for (int k = 3; k < f.length; k++) {
                if (f[k].startsWith(EXAMS)) {
                    if (!exams.isEmpty()) {
                        throw new IllegalArgumentException(where + ": exams= is given twice / exams= 重复出现");
                    }
                    try {
                        exams = exams(f[k].substring(EXAMS.length()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                    }
                } else if (sitesField == null && k == 3) {
                    sitesField = f[k];
                } else {
                    throw new IllegalArgumentException(where + ": expected 'sha256:<hex> <roles> <name> [<sites>] [exams=<ids>]';"
                            + " the field '" + f[k] + "' is neither the sites (4th field) nor exams= / 字段 '" + f[k]
                            + "' 既不是考点（第 4 个字段）也不是 exams=");
                }
            }
            if (!f[0].matches("sha256:[0-9a-f]{64}")) {
                throw new IllegalArgumentException(where + ": the first field must be sha256: and 64 lowercase hex digits"
                        + " (the hash of the token, never the token)");
            }
            Set<ApiRole> roles = EnumSet.noneOf(ApiRole.class);
            for (String r : f[1].split(",")) {
                try {
                    roles.add(ApiRole.fromWire(r));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            if (!names.add(f[2])) {
                throw new IllegalArgumentException(where + ": the name " + f[2] + " is used twice");
            }
            Set<String> sites = sitesField != null ? Set.of(sitesField.split(",")) : Set.of();
            if (roles.contains(ApiRole.OFFICER) && sites.isEmpty()) {
                throw new IllegalArgumentException(where + ": an officer token needs its sites (or * for every site)");
            }
            out.add(new Stored(HexFormat.of().parseHex(f[0].substring(7)), new Caller(f[2], roles, sites, exams)));
        }
        return new Tokens(out);
    }

    /** The caller whose token this is, if any; every stored hash is compared, in constant time. */
    Optional<Caller> authenticate(String token) {
        byte[] hash = sha256(token);
        Caller found = null;
        for (Stored s : stored) {
            if (MessageDigest.isEqual(s.hash(), hash)) {
                found = s.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    int size() {
        return stored.size();
    }

    /** A fresh high-entropy token. Show it once to its holder; store only {@link #line}. */
    public static String newToken() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /**
     * The exams of an {@code exams=} field: ledger ids separated by commas, or {@code *} alone for every ledger the
     * server serves.
     */
    static Set<String> exams(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : list.split(",", -1)) {
            if (!id.equals(Caller.ALL_EXAMS)) {
                try {
                    org.custody.model.Ids.require("ledger id", id);
                } catch (org.custody.failure.MalformedInputException e) {
                    throw new IllegalArgumentException("exams=" + list + ": " + e.getMessage() + " / exams= 中的账本标识无效", e);
                }
            }
            out.add(id);
        }
        if (out.contains(Caller.ALL_EXAMS) && out.size() > 1) {
            throw new IllegalArgumentException("exams=" + list + ": * means every ledger and stands alone"
                    + " / * 表示全部账本，须单独使用");
        }
        return Set.copyOf(out);
    }

    /** The token-file line for {@code token}: its hash, roles, name and sites. */
    public static String line(String token, Set<ApiRole> roles, String name, Set<String> sites) {
        return line(token, roles, name, sites, Set.of());
    }

    /** The token-file line for {@code token}: its hash, roles, name, sites and the exams (ledger ids) it is scoped to. */
    public static String line(String token, Set<ApiRole> roles, String name, Set<String> sites, Set<String> exams) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}")) {
            throw new IllegalArgumentException("a token name is 1-64 letters, digits or ._:@- , got '" + name + "'");
        }
        String roleList = String.join(",", roles.stream().sorted().map(ApiRole::wire).toList());
        String line = "sha256:" + HexFormat.of().formatHex(sha256(token)) + " " + roleList + " " + name;
        line = sites.isEmpty() ? line : line + " " + String.join(",", sites.stream().sorted().toList());
        if (!exams.isEmpty()) {
            line = line + " " + EXAMS + String.join(",", exams(String.join(",", exams)).stream().sorted().toList());
        }
        return line;
    }

    /** The callers of this file, for the checks made at start (never their hashes). */
    List<Caller> callers() {
        return stored.stream().map(Stored::caller).toList();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Tokens[" + stored.size() + " tokens: " + Arrays.toString(stored.stream().map(s -> s.caller().name()).toArray()) + "]";
    }
}
