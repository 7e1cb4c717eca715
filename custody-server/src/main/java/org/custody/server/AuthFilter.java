package org.custody.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/**
 * Bearer-token authentication and the route's access rule, checked before any controller runs (and so for
 * {@code HEAD} as for {@code GET}): 401 without a token or with an unknown one, 403 with a token whose roles the
 * route does not admit. Tokens are compared by hash in constant time ({@link Tokens}); a token is never logged.
 */
final class AuthFilter {
    private static final int MAX_TOKEN_CHARS = 512;
    private final Tokens tokens;

    AuthFilter(Tokens tokens) {
        this.tokens = tokens;
    }

    /** The caller, if the route needs one ({@code null} on a public route); 401 without a known token. */
    Caller authenticate(Context ctx, Route.Access access) {
        if (access.open()) {
            return null;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 7 + MAX_TOKEN_CHARS) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"custody\"");
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "this resource needs 'Authorization: Bearer <token>'")
                    .zh("此资源需要令牌：Authorization: Bearer <令牌>");
        }
        Optional<Caller> caller = tokens.authenticate(header.substring(7).strip());
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"custody\", error=\"invalid_token\"");
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "the bearer token is not known to this server")
                    .zh("此服务器不认识这个令牌");
        }
        return caller.get();
    }

    /** 403 when {@code caller} has none of the roles {@code access} admits. */
    void checkRoles(Caller caller, Route.Access access) {
        if (access.roles().stream().noneMatch(caller::has)) {
            String needed = String.join(" or ", access.roles().stream().sorted().map(ApiRole::wire).toList());
            throw ApiException.forbidden("this resource needs the role " + needed + "; token " + caller.name() + " has "
                    + caller.roles().stream().sorted().map(ApiRole::wire).toList())
                    .zh("此资源需要角色 " + needed + "；令牌 " + caller.name() + " 没有该角色");
        }
    }

    int size() {
        return tokens.size();
    }
}
