package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.custody.files.OwnerOnly;

/**
 * The Custody server's HTTP API (docs/server.md) as the CLI's {@code --server} mode uses it: the JDK's
 * {@link HttpClient}, JSON through Jackson, the bearer token in the {@code Authorization} header only. Every
 * failure becomes a {@link ServerError} naming the method, the URL and what failed; a problem+json answer
 * gives its detail and finding code. The token is never printed, logged or put in a message.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1 = "/api/v1";
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Duration ANSWER = Duration.ofSeconds(60);

    private static final java.util.regex.Pattern LEDGER_URL = java.util.regex.Pattern.compile("(.*)" + V1 + "/ledgers/([^/]+)");

    private final URI base;
    private final String token;
    /** The exam's ledger id on a server of several ledgers, or {@code null}: the server's routes of one ledger. */
    private final String exam;
    private final HttpClient http;

    private Api(URI base, String token, String exam) {
        this.base = base;
        this.token = token;
        this.exam = exam;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the server at {@code url} (http or https, no query) presenting {@code token} (or none).
     * A token is sent over plain http only to a loopback address: anywhere else it would cross the network
     * in clear (docs/server.md, "Behind TLS").
     */
    static Api of(String url, String token) {
        return of(url, token, null);
    }

    /**
     * A client of the ledger {@code exam} (a ledger id, or {@code null}) on the server at {@code url}: every
     * {@code /api/v1/...} path goes to {@code /api/v1/ledgers/<exam>/...}, as a server of several exams serves each
     * (docs/server.md, "Many exams on one server"). A URL that ends with {@code /api/v1/ledgers/<id>} names the exam too.
     */
    static Api of(String url, String token, String exam) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UserError("--server " + url + " is not a URL: " + e.getMessage() + "; write it like https://custody.example.org");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null || uri.getUserInfo() != null) {
            throw new UserError("--server " + url + " is not an http or https URL of a server; write it like https://custody.example.org"
                    + " or http://127.0.0.1:8080");
        }
        if (token != null && scheme.equals("http") && !loopback(uri.getHost())) {
            throw new UserError("--server " + url + " is plain http to another machine: the token would cross the network"
                    + " unencrypted. Use the server's https:// address (docs/server.md, Behind TLS)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        java.util.regex.Matcher named = LEDGER_URL.matcher(path);
        if (named.matches()) {
            String inUrl = java.net.URLDecoder.decode(named.group(2), StandardCharsets.UTF_8);
            if (exam != null && !exam.equals(inUrl)) {
                throw new UserError("--server " + url + " names the exam " + inUrl + " but --exam names " + exam + "; give one of them"
                        + " / --server 地址中的考试 " + inUrl + " 与 --exam " + exam + " 不一致，请只给一个");
            }
            exam = inUrl;
            path = named.group(1);
        }
        if (exam != null) {
            try {
                org.custody.model.Ids.require("ledger id", exam);
            } catch (org.custody.failure.MalformedInputException e) {
                throw new UserError("--exam " + exam + ": " + e.getMessage() + " / --exam 须为账本标识（如 HN-2026）");
            }
        }
        return new Api(URI.create(scheme + "://" + uri.getRawAuthority() + path), token, exam);
    }

    /** The options that name this server and exam again, for messages: {@code --server URL [--exam ID]}. */
    String serverOptions() {
        return "--server " + base + (exam == null ? "" : " --exam " + exam);
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The full URL of {@code path} (which starts with '/'), in the exam's routes when one is named. */
    String url(String path) {
        if (exam != null && path.startsWith(V1 + "/")) {
            return base + V1 + "/ledgers/" + exam + path.substring(V1.length());
        }
        return base + path;
    }

    JsonNode get(String path) {
        return json(path, send(request(path).GET().header("Accept", "application/json"), path, "GET"));
    }

    byte[] getBytes(String path) {
        return send(request(path).GET(), path, "GET");
    }

    JsonNode post(String path, JsonNode body) {
        byte[] raw;
        try {
            raw = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a request built in memory", e);
        }
        return json(path, send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(raw))
                .header("Content-Type", "application/json").header("Accept", "application/json"), path, "POST"));
    }

    /** Posts {@code text} as {@code text/plain; charset=utf-8}; returns the answer's body. */
    byte[] postText(String path, String text) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8"), path, "POST");
    }

    /**
     * Streams the answer to GET {@code path} into {@code file} (through a temporary file beside it, moved into place
     * when complete); returns the number of bytes.
     */
    long download(String path, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path partial;
        try {
            partial = OwnerOnly.createTempFile(dir, "." + file.getFileName(), ".part");
        } catch (IOException e) {
            throw new UserError("cannot write in " + dir + ": " + e.getMessage() + "; check the folder and its permissions");
        }
        try {
            HttpResponse<Path> r = exchange(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(partial), path, "GET");
            if (r.statusCode() / 100 != 2) {
                throw problem("GET", path, r.statusCode(), Files.readAllBytes(partial));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(file);
        } catch (IOException e) {
            throw new UserError("cannot save the download from " + url(path) + " to " + file + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .part file is harmless and named as such
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", "custody-cli");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private byte[] send(HttpRequest.Builder request, String path, String method) {
        HttpResponse<byte[]> r = exchange(request.timeout(ANSWER).build(), HttpResponse.BodyHandlers.ofByteArray(), path, method);
        if (r.statusCode() / 100 != 2) {
            throw problem(method, path, r.statusCode(), r.body());
        }
        return r.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String path, String method) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(method, path, "no connection within " + CONNECT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable(method, path, "no answer within " + ANSWER.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable(method, path, "connection refused");
        } catch (IOException e) {
            throw unreachable(method, path, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(method, path, "interrupted");
        }
    }

    private ServerError unreachable(String method, String path, String what) {
        return new ServerError("cannot reach the Custody server at " + base + " (" + method + " " + path + "): " + what
                + "; check --server and that the server is running. Nothing was changed by this command", null);
    }

    /** The server's refusal: its problem+json detail and code, or the bare status. */
    private ServerError problem(String method, String path, int status, byte[] body) {
        String title = null;
        String detail = null;
        String code = null;
        List<String> ledgers = null;
        List<org.custody.audit.Finding> findings = List.of();
        try {
            JsonNode p = JSON.readTree(body);
            if (p != null && p.isObject()) {
                title = text(p, "title");
                detail = text(p, "detail");
                code = text(p, "code");
                if (p.path("findings").isArray()) {
                    findings = ServerJson.findings(p.get("findings"));
                }
                if (p.path("ledgers").isArray()) {
                    ledgers = new java.util.ArrayList<>();
                    for (JsonNode l : p.get("ledgers")) {
                        ledgers.add(l.asText());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not problem+json (a proxy's page): the status says enough
        }
        StringBuilder s = new StringBuilder("the server refused ").append(method).append(' ').append(url(path)).append(": ")
                .append(status).append(title == null ? "" : " " + title);
        if (code != null) s.append(" (").append(code).append(')');
        if (detail != null) s.append(": ").append(detail);
        if (status == 401) {
            s.append(token == null ? "; give the token with --token-file FILE or the environment variable CUSTODY_TOKEN"
                    : "; the token is not known to this server: check --token-file or CUSTODY_TOKEN");
        } else if (ledgers != null) {
            s.append("; this server serves several exams: name one with --exam ID (this token may use: ")
                    .append(ledgers.isEmpty() ? "none" : String.join(", ", ledgers)).append(")")
                    .append(" / 本服务器有多场考试，请用 --exam 考试账本标识 指明其一");
        } else if (status == 404 && exam != null && "no such ledger".equals(title)) {
            s.append("; check --exam ").append(exam).append(" / 请检查 --exam ").append(exam);
        } else if (status == 403) {
            s.append("; ask the server's administrator for a token with that role, site or exam");
        }
        return new ServerError(s.toString(), status, code, findings);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    private JsonNode json(String path, byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ServerError("the server at " + base + " answered " + path + " with something that is not the expected JSON: "
                    + e.getMessage() + "; is --server the address of a Custody server?", null);
        }
    }

    /** Reads the bearer token: the first line of {@code file}, else the environment variable CUSTODY_TOKEN, else none. */
    static String token(Path file, Map<String, String> environment) {
        if (file != null) {
            refuseIfOthersMayRead(file);
            String first;
            try {
                first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new UserError("cannot read the token file " + file + ": " + e.getMessage());
            }
            if (first.isEmpty()) {
                throw new UserError("the token file " + file + " is empty; its first line is the bearer token");
            }
            return checked(first, "the token file " + file);
        }
        String env = environment.get("CUSTODY_TOKEN");
        return env == null || env.isBlank() ? null : checked(env.strip(), "CUSTODY_TOKEN");
    }

    /**
     * Refuses a token file that users other than its owner may read or change, as ssh refuses such a private key: a
     * bearer token is a password. Skipped where the file system has no POSIX permissions.
     */
    static void refuseIfOthersMayRead(Path file) {
        Optional<String> exposed;
        try {
            exposed = OwnerOnly.exposure(file, "token file", "令牌文件");
        } catch (IOException e) {
            throw new UserError("cannot read the token file " + file + ": " + e.getMessage());
        }
        if (exposed.isPresent()) {
            throw new UserError(exposed.get() + "; or give the token in the environment variable CUSTODY_TOKEN"
                    + " / 也可用环境变量 CUSTODY_TOKEN 提供令牌");
        }
    }

    private static String checked(String token, String where) {
        if (!token.matches("[\\x21-\\x7e]{1,512}")) {
            throw new UserError(where + " does not hold a bearer token (printable ASCII without spaces, at most 512 characters)");
        }
        return token;
    }
}
