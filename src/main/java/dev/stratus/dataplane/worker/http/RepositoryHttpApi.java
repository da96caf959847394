package dev.stratus.dataplane.worker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.ModelState;
import dev.stratus.dataplane.http.Methods;
import dev.stratus.dataplane.http.RequestBody;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.worker.runtime.ModelRuntime;
import dev.stratus.dataplane.worker.runtime.ServedModel;
import dev.stratus.dataplane.worker.runtime.WorkerRuntime;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Optional;

/**
 * Triton's model repository extension, for the versions a worker serves: {@code POST /v2/repository/index} lists
 * every model version with its state (and why one is not READY); {@code POST /v2/repository/models/{m}/load}
 * brings a model's versions in line with its repository folder: new versions are loaded and warmed before they
 * take unversioned traffic, removed ones drain and unload. The body may carry
 * {@code {"parameters": {"default_version": "2"}}} to pin the default ("latest" unpins it). The answer comes once
 * the load is done: 200 with what changed, 400 with the reason when nothing could change. Both change or reveal
 * what the worker serves, so both need an admin token ({@link RepositoryAccess}): 401 without one, 403 with a token
 * of another role.
 */
public final class RepositoryHttpApi {
    private static final long MAX_BODY_BYTES = 64 * 1024;

    private final WorkerRuntime runtime;
    private final RepositoryAccess access;
    private final ObjectMapper json = new ObjectMapper();
    private final OipResponseEncoder encoder = new OipResponseEncoder();

    public RepositoryHttpApi(WorkerRuntime runtime, RepositoryAccess access) {
        this.runtime = runtime;
        this.access = access;
    }

    public void mount(Router router) {
        Methods.only(router, HttpMethod.POST, "/v2/repository/index", guarded(this::index));
        Methods.only(router, HttpMethod.POST, "/v2/repository/models/:model/load", guarded(this::load));
    }

    /** The handler, run only for a request with an admin token; checked before the body is read. */
    private Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
        return ctx -> {
            switch (access.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
                case ALLOW -> handler.handle(ctx);
                case UNAUTHENTICATED -> {
                    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"stratus\"");
                    error(ctx, new ProtocolException(401, "the model repository endpoints need an admin token: send "
                            + "'Authorization: Bearer TOKEN' with an admin token of this worker (its token file or "
                            + "STRATUS_SECURITY_ADMIN_TOKEN; docs/security.md)"));
                }
                case FORBIDDEN -> error(ctx, new ProtocolException(403, "this token may not change the models this "
                        + "worker serves: an admin token is needed"));
            }
        };
    }

    private void index(RoutingContext ctx) {
        ArrayNode body = json.createArrayNode();
        for (ServedModel m : runtime.served()) {
            String byDefault = m.defaultVersion().version();
            for (ModelRuntime v : m.versions()) {
                ObjectNode entry = body.addObject().put("name", m.name()).put("version", v.version())
                        .put("state", v.state() == ModelState.READY ? "READY" : v.state().name())
                        .put("default", v.version().equals(byDefault));
                if (v.state() == ModelState.FAILED) {
                    entry.put("reason", v.failure());
                }
            }
        }
        send(ctx, 200, body.toString());
    }

    private void load(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        RequestBody.read(ctx, MAX_BODY_BYTES, body -> {
            Optional<String> pin;
            try {
                pin = pin(body);
            } catch (ProtocolException e) {
                error(ctx, e);
                return;
            }
            ctx.vertx().<WorkerRuntime.Reload>executeBlocking(() -> runtime.reload(model, pin), false)
                    .onSuccess(r -> {
                        ObjectNode out = json.createObjectNode().put("name", r.model())
                                .put("default_version", r.defaultVersion());
                        out.set("loaded", json.valueToTree(r.loaded()));
                        out.set("failed", json.valueToTree(r.failed()));
                        out.set("unloaded", json.valueToTree(r.unloaded()));
                        send(ctx, 200, out.toString());
                    })
                    .onFailure(e -> error(ctx, e instanceof IllegalStateException
                            ? new ProtocolException(503, e.getMessage())
                            : runtime.model(model).isEmpty() ? ProtocolException.notFound(e.getMessage())
                            : ProtocolException.badRequest(String.valueOf(e.getMessage()))));
        }, error -> error(ctx, error));
    }

    private Optional<String> pin(Buffer body) {
        if (body.length() == 0) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = json.readTree(body.getBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ProtocolException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProtocolException.badRequest("unreadable body: " + e.getMessage());
        }
        JsonNode version = tree == null ? null : tree.path("parameters").get("default_version");
        if (version == null) {
            return Optional.empty();
        }
        if (!version.isTextual() || version.asText().isBlank()) {
            throw ProtocolException.badRequest("parameters.default_version must be a version (\"2\") or \"latest\", "
                    + "got " + version);
        }
        return Optional.of(version.asText());
    }

    private void error(RoutingContext ctx, ProtocolException e) {
        send(ctx, e.status(), new String(encoder.error(e.getMessage()), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void send(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                .end(Buffer.buffer(body));
    }
}
