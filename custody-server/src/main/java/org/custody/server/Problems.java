package org.custody.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.custody.audit.FindingCode;
import org.custody.failure.MalformedInputException;
import org.custody.audit.RefusedException;
import org.custody.failure.VerificationException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.LedgerStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one problem mapper: every failure of every route becomes the same RFC 9457 {@code application/problem+json}
 * shape, in English and Chinese (docs/server.md, "Errors"). Unexpected exceptions are logged here and answered 500
 * without their message or stack trace, which could carry paths or secrets.
 */
final class Problems {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String WRITTEN = "custody.problem";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    /** The Chinese title of each status the server answers with; a finding code's own Chinese title wins. */
    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "请求有误"), Map.entry(401, "未认证"), Map.entry(403, "无权访问"), Map.entry(404, "未找到"),
            Map.entry(405, "不允许的方法"), Map.entry(409, "冲突"), Map.entry(410, "已失效"), Map.entry(413, "请求过大"),
            Map.entry(415, "不支持的内容类型"), Map.entry(422, "被拒绝"), Map.entry(500, "服务器内部错误"),
            Map.entry(503, "暂不可用"));

    /** The Chinese detail of a problem that has none of its own: what the status means for the caller. */
    private static final Map<Integer, String> DETAILS = Map.ofEntries(
            Map.entry(400, "请求有误，详见英文说明（detail）；未存储任何内容。"),
            Map.entry(401, "此资源需要有效的令牌：Authorization: Bearer <令牌>。"),
            Map.entry(403, "此令牌的角色或考点无权进行此操作。"),
            Map.entry(404, "没有此资源。"),
            Map.entry(405, "此资源不接受该 HTTP 方法。"),
            Map.entry(409, "与账本或草稿的当前状态冲突，详见英文说明（detail）。"),
            Map.entry(410, "草稿已过期或已取消，请重新开启。"),
            Map.entry(413, "请求体过大。"),
            Map.entry(415, "请求体的内容类型不被接受。"),
            Map.entry(422, "请求被核验或规则拒绝，未存储任何内容；详见 code 与 findings。"),
            Map.entry(500, "服务器意外出错；除非重试表明已存储，此请求未存储任何内容。"),
            Map.entry(503, "账本暂时无法读写或服务器繁忙；此请求未存储任何内容，请稍后重试（重试不会重复记录）。"));

    private Problems() {}

    /** Maps every exception, and Javalin's own 404 and 405, of {@code app} to a problem. */
    static void register(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> write(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            HttpStatus status = HttpStatus.forStatus(e.getStatus());
            write(ctx, new ApiException(status, status.getMessage().toLowerCase(Locale.ROOT), e.getMessage()));
        });
        app.exception(AppendRefusedException.class, (e, ctx) -> write(ctx, ApiException.refused(e)));
        // the core's typed failures (org.custody.failure): input that cannot be used, data that does not verify, a
        // refusal by rule with its code; anything else is a bug (500)
        app.exception(MalformedInputException.class, (e, ctx) -> write(ctx, ApiException.badRequest(e.getMessage(),
                "输入有误（详见英文说明）")));
        app.exception(VerificationException.class, (e, ctx) -> write(ctx, new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                "does not verify", e.getMessage())));
        app.exception(RefusedException.class, (e, ctx) -> write(ctx, new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                "refused", e.getMessage(), e.code().name(), List.of())));
        app.exception(LedgerStoreException.class, (e, ctx) -> {
            LOG.error("ledger store failure: {}", e.getMessage());
            write(ctx, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "ledger unavailable",
                    "the ledger cannot be read or written now; nothing was stored by this request; retry later"));
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.req().getMethod(), ctx.path(), e);
            write(ctx, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
                    "the server failed unexpectedly; nothing was stored by this request unless a retry says so"));
        });
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.attribute(WRITTEN) == null) {
                write(ctx, ApiException.notFound("not found", "no resource at " + ctx.path()).zh("此地址没有资源：" + ctx.path()));
            }
        });
        app.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> {
            if (ctx.attribute(WRITTEN) == null) {
                String method = Requests.method(ctx);
                write(ctx, new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method not allowed",
                        method + " is not allowed on " + ctx.path()).zh(ctx.path() + " 不接受 " + method + " 方法"));
            }
        });
    }

    /** Answers {@code e} as a problem: {@code type, title, status, detail, instance, zh {title, detail}[, code, findings]}. */
    static void write(Context ctx, ApiException e) {
        int status = e.status().getCode();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", e.code() == null ? "about:blank" : "urn:custody:finding:" + e.code());
        body.put("title", e.title());
        body.put("status", status);
        body.put("detail", e.getMessage());
        body.put("instance", ctx.path());
        String zhTitle = TITLES.getOrDefault(status, "错误");
        if (e.code() != null) {
            try {
                zhTitle = zhTitle + "：" + e.code() + " " + FindingCode.valueOf(e.code()).chinese();
            } catch (IllegalArgumentException unknown) {
                // a code outside FindingCode is never made; keep the status's title
            }
        }
        body.putObject("zh").put("title", zhTitle).put("detail", e.chinese() != null ? e.chinese() : DETAILS.getOrDefault(status,
                "请求未能完成，详见英文说明（detail）。"));
        if (e.code() != null) {
            body.put("code", e.code());
        }
        if (!e.findings().isEmpty()) {
            body.set("findings", Json.findings(e.findings()));
        }
        e.extra().forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(e.status()).contentType(PROBLEM_JSON).result(Json.bytes(body));
    }
}
