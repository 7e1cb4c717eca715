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
 * <pre>sha256:&lt;64 hex digits&gt; &lt;roles, comma-separated&gt; &lt;name&gt; [&lt;sites, comma-separated&gt;]</pre>
 *
 * Blank lines and lines starting with {@code #} are ignored. A presented token is hashed and compared
 * with every stored hash in constant time ({@link MessageDigest#isEqual}); tokens themselves are never
 * stored or logged. Tokens are 32 random bytes, written as {@code cust_} and unpadded base64url.
 */
public final class Tokens {
    private static final String PREFIX = "cust_";
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
            if (f.length < 3 || f.length > 4) {
                throw new IllegalArgumentException(where + ": expected 'sha256:<hex> <roles> <name> [<sites>]', found "
                        + f.length + " fields");
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
            Set<String> sites = f.length == 4 ? Set.of(f[3].split(",")) : Set.of();
            if (roles.contains(ApiRole.OFFICER) && sites.isEmpty()) {
                throw new IllegalArgumentException(where + ": an officer token needs its sites (or * for every site)");
            }
            out.add(new Stored(HexFormat.of().parseHex(f[0].substring(7)), new Caller(f[2], roles, sites)));
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

    /** The token-file line for {@code token}: its hash, roles, name and sites. */
    public static String line(String token, Set<ApiRole> roles, String name, Set<String> sites) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}")) {
            throw new IllegalArgumentException("a token name is 1-64 letters, digits or ._:@- , got '" + name + "'");
        }
        String roleList = String.join(",", roles.stream().sorted().map(ApiRole::wire).toList());
        String line = "sha256:" + HexFormat.of().formatHex(sha256(token)) + " " + roleList + " " + name;
        return sites.isEmpty() ? line : line + " " + String.join(",", sites.stream().sorted().toList());
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
