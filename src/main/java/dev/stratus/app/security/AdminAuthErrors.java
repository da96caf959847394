package dev.stratus.app.security;

import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.security.Bearer;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives the admin API's 401 and 403 answers the protocol's {@code {"error": "..."}} body that every other
 * error has (Quarkus answers them with an empty body). The 401 challenge itself is written by
 * {@link BearerTokenMechanism#sendChallenge}; refusals by role arrive here as failures.
 */
@ApplicationScoped
public class AdminAuthErrors {
    private static final OipResponseEncoder ENCODER = new OipResponseEncoder();

    void install(@Observes Router router) {
        router.route().failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof ForbiddenException) {
                send(ctx, 403, "this token may only read (GET) the admin API; changes and profiling need an admin "
                        + "token");
            } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
                send(ctx, 401, "the bearer token is not valid here");
            } else {
                ctx.next();
            }
        });
    }

    static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", Bearer.CHALLENGE);
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                .end(Buffer.buffer(ENCODER.error(message)));
    }
}
