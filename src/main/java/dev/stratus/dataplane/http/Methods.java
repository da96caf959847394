package dev.stratus.dataplane.http;

import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The methods each Open Inference Protocol path answers, shared by the worker and the gateway: health checks
 * answer HEAD like GET (probes and load balancers use it), and any other method gets 405 with an
 * {@code Allow} header and the protocol's error body, rather than the 404 of a path that does not exist.
 */
public final class Methods {
    private static final OipResponseEncoder ENCODER = new OipResponseEncoder();

    private Methods() {
    }

    /** A health or readiness check: GET and HEAD (answered without a body), 405 otherwise. */
    public static void health(Router router, String path, Handler<RoutingContext> handler) {
        router.get(path).handler(handler);
        router.head(path).handler(handler);
        refuseOthers(router, path, HttpMethod.GET, HttpMethod.HEAD);
    }

    /** A path that answers one method, 405 otherwise. */
    public static void only(Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
        router.route(method, path).handler(handler);
        refuseOthers(router, path, method);
    }

    /**
     * Answers 405 on {@code path} for every method but {@code allowed}; registered after the path's own routes,
     * which therefore take the allowed methods first.
     */
    private static void refuseOthers(Router router, String path, HttpMethod... allowed) {
        String allow = Arrays.stream(allowed).map(HttpMethod::name).collect(Collectors.joining(", "));
        router.route(path).handler(ctx -> {
            if (ctx.response().ended()) {
                return;
            }
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, allow)
                    .putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                    .end(Buffer.buffer(ENCODER.error("method " + ctx.request().method().name() + " is not allowed on "
                            + ctx.normalizedPath() + "; use " + allow)));
        });
    }
}
