package org.custody.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What every request must be before a controller sees it: sent with its real method (no method override), and a
 * body only of the one media type the route takes, exactly, in UTF-8, within the size limit (docs/server.md,
 * "Requests").
 */
final class Requests {
    /** Headers by which some frameworks let one method stand for another; this server refuses every one. */
    static final List<String> OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    /** The query or form parameter some frameworks read as the method. */
    static final String OVERRIDE_PARAMETER = "_method";
    static final String JSON = "application/json";
    static final String TEXT = "text/plain";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    private Requests() {}

    /**
     * Refuses (400) a request that asks for another method than the one it was sent with: a GET must never act as a
     * DELETE because a header or parameter says so. A header naming the real method is refused too: there is nothing
     * to override, and proxies that add such headers should be fixed rather than half-trusted.
     */
    static void refuseMethodOverride(Context ctx) {
        for (String header : OVERRIDE_HEADERS) {
            if (ctx.req().getHeader(header) != null) {
                throw ApiException.badRequest("method override is not supported: send the request with its real method instead of the "
                        + header + " header", "不支持改写请求方法：请直接用真实的方法发送请求，不要带 " + header + " 头");
            }
        }
        String query = ctx.req().getQueryString();
        if (query != null && ctx.queryParamMap().containsKey(OVERRIDE_PARAMETER)) {
            throw ApiException.badRequest("method override is not supported: send the request with its real method instead of the "
                    + OVERRIDE_PARAMETER + " parameter", "不支持改写请求方法：请直接用真实的方法发送请求，不要带 " + OVERRIDE_PARAMETER + " 参数");
        }
    }

    /** The request's method as sent on the wire (never an override), or {@code OTHER} for a method HTTP does not define. */
    static String method(Context ctx) {
        String m = ctx.req().getMethod();
        return m != null && METHODS.contains(m) ? m : "OTHER";
    }

    /** A JSON body: {@code application/json}, optionally {@code ; charset=utf-8}, UTF-8 without a byte order mark. */
    static byte[] json(Context ctx, long limit) throws IOException {
        return body(ctx, JSON, limit);
    }

    /** A text body: {@code text/plain}, optionally {@code ; charset=utf-8}, UTF-8 without a byte order mark. */
    static byte[] text(Context ctx, long limit) throws IOException {
        return body(ctx, TEXT, limit);
    }

    private static byte[] body(Context ctx, String type, long limit) throws IOException {
        String given = ctx.req().getContentType();
        if (!isExactly(given, type)) {
            String shown = given == null ? "no Content-Type" : "Content-Type '" + shorten(given) + "'";
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type", "send the body as '" + type
                    + "' or '" + type + "; charset=utf-8', not " + shown).zh("请求体的内容类型必须是 " + type + "（可带 ; charset=utf-8），而不是 "
                    + (given == null ? "空" : shorten(given)));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge("the request body is " + declared + " bytes; this resource accepts at most " + limit, limit);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        }
        if (body.length > limit) {
            throw tooLarge("the request body is larger than the " + limit + " bytes this resource accepts", limit);
        }
        requireUtf8(body);
        return body;
    }

    private static ApiException tooLarge(String detail, long limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "request too large", detail).zh("请求体过大：最多 " + limit + " 字节");
    }

    /**
     * Whether a Content-Type header is exactly {@code type}, or {@code type; charset=utf-8}: the type and the parameter
     * name are matched without regard to case as RFC 9110 says, the charset value also; one space may follow {@code ;};
     * nothing else is allowed: no other parameter or charset, no quoted value, no space around {@code =}.
     */
    static boolean isExactly(String header, String type) {
        if (header == null) {
            return false;
        }
        int semi = header.indexOf(';');
        String mediaType = (semi < 0 ? header : header.substring(0, semi));
        if (!mediaType.equalsIgnoreCase(type)) {
            return false;
        }
        if (semi < 0) {
            return true;
        }
        String parameter = header.substring(semi + 1);
        if (parameter.startsWith(" ")) {
            parameter = parameter.substring(1); // "type; charset=utf-8", the usual spelling, with its one space
        }
        return parameter.toLowerCase(Locale.ROOT).equals("charset=utf-8");
    }

    /**
     * Refuses a body that is not UTF-8: one with a byte order mark (JSON forbids senders to add one), or a NUL byte
     * (never part of JSON or of a text line in UTF-8; a parser would take it for UTF-16 or UTF-32), or bytes that do
     * not decode.
     */
    static void requireUtf8(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                throw ApiException.badRequest("the request body contains a NUL byte: it is not UTF-8 text (UTF-16 and UTF-32 are refused)",
                        "请求体含有 NUL 字节，不是 UTF-8 文本（不接受 UTF-16 或 UTF-32）");
            }
        }
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            throw ApiException.badRequest("the request body starts with a byte order mark; send UTF-8 without one",
                    "请求体以字节顺序标记（BOM）开头；请发送不带 BOM 的 UTF-8");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the request body is not UTF-8 text", "请求体不是 UTF-8 文本");
        }
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
