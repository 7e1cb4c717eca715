package org.custody.server;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Set;

/**
 * One route of the server's table ({@link AppFactory#routes}): method, path, who may call it, and the controller's
 * handler. The OpenAPI document must describe exactly these; every {@code GET} route also answers {@code HEAD}
 * the same way, without the body.
 */
record Route(String method, String path, Access access, Endpoint endpoint, Gate gate) {
    /**
     * What runs after authentication and before the role check: on a ledger's routes, finding the ledger the request is
     * for (and refusing one the caller may not use, whatever its role; {@link Exams}).
     */
    @FunctionalInterface
    interface Gate {
        void check(io.javalin.http.Context ctx, Caller caller);
    }

    Route(String method, String path, Access access, Endpoint endpoint) {
        this(method, path, access, endpoint, null);
    }

    /** This route at {@code path}, with {@code gate} and {@code endpoint}. */
    Route at(String path, Access access, Gate gate, Endpoint endpoint) {
        return new Route(method, path, access, endpoint, gate);
    }

    /** A controller's handler: the request, and the authenticated caller ({@code null} on a public route). */
    @FunctionalInterface
    interface Endpoint {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    /** Who may call a route: anyone, any authenticated caller, or callers with one of the roles. */
    record Access(boolean open, Set<ApiRole> roles) {
        static final Access PUBLIC = new Access(true, Set.of());
        static final Access ANY_ROLE = new Access(false, EnumSet.allOf(ApiRole.class));

        Access {
            roles = Set.copyOf(roles);
        }

        static Access roles(ApiRole... roles) {
            return new Access(false, Set.of(roles));
        }
    }

    static Route get(String path, Access access, Endpoint endpoint) {
        return new Route("GET", path, access, endpoint);
    }

    static Route post(String path, Access access, Endpoint endpoint) {
        return new Route("POST", path, access, endpoint);
    }

    static Route delete(String path, Access access, Endpoint endpoint) {
        return new Route("DELETE", path, access, endpoint);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
