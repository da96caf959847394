package dev.stratus.dataplane.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.dataplane.dispatch.Dispatcher;
import dev.stratus.dataplane.http.Methods;
import dev.stratus.dataplane.dispatch.Slowdown;
import dev.stratus.dataplane.http.RequestBody;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import dev.stratus.dataplane.protocol.Outcome;
import dev.stratus.dataplane.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway: the Open Inference Protocol for every model, in front of the workers. It routes only to
 * replicas the routing table lists (serving, READY), picks one per request with the model's dispatch mode,
 * stamps the deadline (the model's SLO, or the client's {@code Stratus-Deadline-Ms} when tighter), sheds at
 * once what no replica can finish in time (429), and resends a request whose replica failed without
 * answering (connection lost, or 503 draining) to another replica while its deadline allows. Bodies pass
 * through untouched: the gateway never decodes tensors.
 */
public final class Gateway implements RoutePublisher, AutoCloseable {
    public static final String DEADLINE_HEADER = "Stratus-Deadline-Ms";
    static final String NAME = "stratus-gateway";
    /** Attempts per request, first one included. */
    static final int MAX_ATTEMPTS = 3;
    /** What the worker needs of the client's request besides the body: its type and coding, and what it accepts. */
    private static final List<String> FORWARDED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE.toString(),
            EncodedBody.HEADER_LENGTH, HttpHeaders.CONTENT_ENCODING.toString(), HttpHeaders.ACCEPT_ENCODING.toString());
    /** What the client needs of the worker's answer besides the body. */
    private static final List<String> RELAYED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE.toString(),
            EncodedBody.HEADER_LENGTH, HttpHeaders.CONTENT_ENCODING.toString(), HttpHeaders.VARY.toString());

    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    private final Map<String, Dispatcher> dispatchers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** How much slower than predicted each replica answers now; admission scales its queue by it. */
    private final Slowdown slowdown = new Slowdown();
    /** Per model: requests sent on to a replica, turned away, answered within the SLO; latency of answers. */
    private final TrafficLedger traffic = new TrafficLedger(this::inFlightOf);
    private final HttpClient client;
    private final GatewayMetrics metrics;
    private final long maxRequestBytes;
    private final String version;
    private final InferenceAccess access;
    private final OipResponseEncoder encoder = new OipResponseEncoder();
    private final ObjectMapper json = new ObjectMapper();

    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version) {
        this(vertx, metrics, maxRequestBytes, version, InferenceAccess.OPEN);
    }

    /** @param access which clients may use which model (per-model tokens); {@link InferenceAccess#OPEN} for all */
    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version,
            InferenceAccess access) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setMaxPoolSize(64).setConnectTimeout(1000));
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.version = version;
        this.access = access;
    }

    String version() {
        return version;
    }

    /** Replaces the routing table; requests already forwarded finish where they are. */
    @Override
    public void publish(RoutingTable next) {
        // Meters first, so that the first request of a new model finds its own.
        Map<String, Double> slos = new java.util.HashMap<>();
        next.models().forEach((model, route) -> slos.put(model, route.sloMs()));
        metrics.routes(slos);
        RoutingTable previous = table.getAndSet(next);
        slowdown.retain(next.models().values().stream().flatMap(r -> r.targets().stream())
                .map(RouteTarget::replicaId).toList());
        next.models().forEach((model, route) -> {
            ModelRoute old = previous.models().get(model);
            if (old == null || old.dispatch() != route.dispatch()) {
                dispatchers.put(model, new Dispatcher(route.dispatch()));
            }
        });
    }

    public RoutingTable table() {
        return table.get();
    }

    /** Requests forwarded to a replica and not yet answered. */
    public int inFlight(String replicaId) {
        AtomicInteger n = inFlight.get(replicaId);
        return n == null ? 0 : n.get();
    }

    /** Requests of a model forwarded to a replica since start (retries not counted twice). */
    public long admitted(String model) {
        return traffic.admittedTotal(model);
    }

    /** Requests of a model shed or refused for want of a replica since start. */
    public long turnedAway(String model) {
        return traffic.shedTotal(model);
    }

    /** What the control loop observes of each model's traffic here. */
    public FleetObserver observer() {
        return traffic;
    }

    /** Requests of a model forwarded and not yet answered, over all its replicas. */
    public int inFlightOf(String model) {
        return table.get().route(model).map(r -> r.targets().stream().mapToInt(t -> inFlight(t.replicaId())).sum())
                .orElse(0);
    }

    public void mount(Router router) {
        Methods.health(router, "/v2/health/live", ctx -> ctx.response().setStatusCode(200).end());
        Methods.health(router, "/v2/health/ready", ctx -> ctx.response().setStatusCode(ready() ? 200 : 400).end());
        Methods.health(router, "/v2/models/:model/ready", this::modelReady);
        Methods.health(router, "/v2/models/:model/versions/:version/ready", this::modelReady);
        Methods.only(router, HttpMethod.GET, "/v2", this::serverMetadata);
        for (String suffix : List.of("", "/config", "/stats")) {
            Methods.only(router, HttpMethod.GET, "/v2/models/:model" + suffix, this::proxyGet);
            Methods.only(router, HttpMethod.GET, "/v2/models/:model/versions/:version" + suffix, this::proxyGet);
        }
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/infer", this::infer);
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/versions/:version/infer", this::infer);
    }

    /** Ready when every routed model has at least one serving replica. */
    public boolean ready() {
        RoutingTable t = table.get();
        return !t.models().isEmpty() && t.models().values().stream().noneMatch(r -> r.targets().isEmpty());
    }

    private void serverMetadata(RoutingContext ctx) {
        ObjectNode body = json.createObjectNode().put("name", NAME).put("version", version);
        EncodedBody.EXTENSIONS.forEach(body.putArray("extensions")::add);
        body.putArray("models").addAll(table.get().models().keySet().stream().sorted()
                .map(json.getNodeFactory()::textNode).toList());
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE).end(body.toString());
    }

    private void modelReady(RoutingContext ctx) {
        ModelRoute route = routeOrFail(ctx);
        if (route != null) {
            ctx.response().setStatusCode(route.targets().isEmpty() ? 400 : 200).end();
        }
    }

    /** Metadata and configuration come from a serving replica: the worker is the authority on its model. */
    private void proxyGet(RoutingContext ctx) {
        ModelRoute route = routeOrFail(ctx);
        if (route == null) {
            return;
        }
        ProtocolException denied = denied(ctx, route.model());
        if (denied != null) {
            sendError(ctx, denied);
            return;
        }
        fromReplica(route, ctx.request().uri()).onSuccess(answer -> relay(ctx, answer.response(), answer.body()))
                .onFailure(e -> sendError(ctx, ProtocolException.of(e)));
    }

    /** A GET of {@code uri} (metadata, configuration) answered by a serving replica of {@code route}'s model. */
    Future<Answer> fromReplica(ModelRoute route, String uri) {
        if (route.targets().isEmpty()) {
            return Future.failedFuture(new ProtocolException(503, "model '" + route.model() + "' has no ready replica"));
        }
        RouteTarget t = route.targets().get(0);
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(t.host()).setPort(t.port())
                        .setURI(uri).setTimeout(5000))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Answer(resp, b))))
                .recover(e -> Future.failedFuture(new ProtocolException(502, "replica " + t.replicaId()
                        + " did not answer: " + e.getMessage())));
    }

    private void infer(RoutingContext ctx) {
        long start = System.nanoTime();
        ModelRoute route = routeOrFail(ctx);
        if (route == null) {
            return;
        }
        ProtocolException denied = denied(ctx, route.model());
        if (denied != null) {
            finish(ctx, route.model(), start, denied);
            return;
        }
        String clientDeadline = ctx.request().getHeader(DEADLINE_HEADER);
        double clientMs = Double.POSITIVE_INFINITY;
        if (clientDeadline != null) {
            try {
                clientMs = Double.parseDouble(clientDeadline.trim());
                if (!(clientMs > 0)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                finish(ctx, route.model(), start, new ProtocolException(400, DEADLINE_HEADER
                        + " must be a positive number of milliseconds, got '" + clientDeadline + "'"));
                return;
            }
        }
        long deadline = deadline(route, start, clientMs);
        String uri = ctx.request().uri();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : FORWARDED_HEADERS) {
            String value = ctx.request().getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        // Forwarded as sent, compressed or not: the worker decodes (and bounds the decoded size), so the gateway
        // spends no CPU on it and a retry resends the smaller body.
        RequestBody.readAsSent(ctx, maxRequestBytes,
                body -> dispatch(new Inference(route.model(), uri, headers, body, start, deadline))
                        .onSuccess(answer -> relay(ctx, answer.response(), answer.body()))
                        .onFailure(e -> sendError(ctx, ProtocolException.of(e))),
                error -> finish(ctx, route.model(), start, error));
    }

    /**
     * The deadline the gateway stamps on a request of {@code route} that arrived at {@code start}: the model's SLO,
     * or the client's own budget ({@code clientMs}, from Stratus-Deadline-Ms or the gRPC deadline) when tighter.
     */
    static long deadline(ModelRoute route, long start, double clientMs) {
        return start + (long) (Math.min(route.sloMs(), clientMs) * 1e6);
    }

    /**
     * One inference through the gateway, whatever the client's transport: the body as a worker's HTTP endpoint
     * takes it, with the headers it needs (content type and coding, header length, accepted codings).
     */
    record Inference(String model, String uri, Map<String, String> headers, Buffer body, long start,
            long deadline) {
    }

    /** A worker's answer, relayed as it came (its status may be an error). */
    record Answer(HttpClientResponse response, Buffer body) {
    }

    /**
     * Sends {@code request} to a replica of its model, chosen by the model's dispatcher under admission control, and
     * resends it to another one while the deadline allows when a replica fails without answering (connection lost,
     * or 503 draining). Succeeds with the answer a replica gave (whatever its status); fails with the gateway's own
     * verdict: 429 shed, 503 no replica, 504 deadline passed while retrying, 502 no replica answered. Every request
     * is counted once, here.
     */
    Future<Answer> dispatch(Inference request) {
        Promise<Answer> answer = Promise.promise();
        forward(request, null, 1, answer);
        return answer.future();
    }

    private void forward(Inference request, RouteTarget failed, int attempt, Promise<Answer> answer) {
        String model = request.model();
        long start = request.start();
        long deadline = request.deadline();
        double remainingMs = (deadline - System.nanoTime()) / 1e6;
        ModelRoute route = table.get().route(model).orElse(null);
        if (route == null || route.targets().isEmpty()) {
            if (attempt == 1) {
                traffic.shed(model);
            }
            ended(model, GatewayMetrics.NO_REPLICA, 503, start);
            answer.fail(new ProtocolException(503, "model '" + model + "' has no ready replica"));
            return;
        }
        List<RouteTarget> targets = route.targets();
        Dispatcher dispatcher = dispatchers.computeIfAbsent(model, m -> new Dispatcher(route.dispatch()));
        int index = remainingMs <= 0 ? Dispatcher.SHED : dispatcher.choose(targets, t -> inFlight(t.replicaId()),
                remainingMs, failed, t -> slowdown.of(t.replicaId()));
        if (index == Dispatcher.SHED && failed != null && remainingMs <= 0) {
            // Retrying after a replica failed, and the time is up: the deadline, not the capacity, ended it.
            fail(answer, model, start, new ProtocolException(504, "replica " + failed.replicaId() + " failed without "
                    + "answering and the deadline passed before another replica could take the request"));
            return;
        }
        if (index == Dispatcher.SHED) {
            if (attempt == 1) {
                traffic.shed(model);
            }
            ended(model, GatewayMetrics.SHED, 429, start);
            answer.fail(new ProtocolException(429, (failed == null ? "" : "replica " + failed.replicaId()
                    + " failed without answering; ") + shedMessage(route, remainingMs)));
            return;
        }
        RouteTarget target = targets.get(index);
        if (attempt == 1) {
            traffic.admitted(model);
        }
        AtomicInteger counter = inFlight.computeIfAbsent(target.replicaId(), id -> new AtomicInteger());
        int ahead = counter.incrementAndGet() - 1;
        long sent = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setURI(request.uri())
                // Past the deadline the answer is worthless; a little slack lets the worker's own 504 arrive.
                .setTimeout(Math.max(1, (long) remainingMs + 250))
                .putHeader(DEADLINE_HEADER, String.format("%.3f", remainingMs));
        request.headers().forEach(options::putHeader);
        client.request(options)
                .compose(req -> req.send(request.body()).compose(resp -> resp.body().map(b -> new Answer(resp, b))))
                .onComplete(ar -> {
                    counter.decrementAndGet();
                    boolean answered = ar.succeeded() && ar.result().response().statusCode() != 503;
                    if (ar.succeeded() && ar.result().response().statusCode() == 200) {
                        slowdown.observe(target, ahead, (System.nanoTime() - sent) / 1e6);
                    } else if (ar.succeeded() && ar.result().response().statusCode() == 504) {
                        // The replica could not make the deadline: the answer would have taken at least the time
                        // that was left, which its queue should not have needed.
                        slowdown.observe(target, ahead, Math.max(remainingMs, (System.nanoTime() - sent) / 1e6));
                    }
                    if (answered || attempt >= MAX_ATTEMPTS || System.nanoTime() >= deadline) {
                        if (ar.succeeded()) {
                            int status = ar.result().response().statusCode();
                            ended(model, Outcome.ofStatus(status).label(), status, start);
                            answer.complete(ar.result());
                        } else if (System.nanoTime() >= deadline) {
                            fail(answer, model, start, new ProtocolException(504, "replica " + target.replicaId()
                                    + " failed and the deadline passed before another could answer: "
                                    + ar.cause().getMessage()));
                        } else {
                            fail(answer, model, start, new ProtocolException(502, "replica " + target.replicaId()
                                    + " failed, the last of " + MAX_ATTEMPTS + " attempts: " + ar.cause().getMessage()));
                        }
                        return;
                    }
                    // Not processed there (connection lost, or the replica is draining): try another one.
                    metrics.retry(model);
                    forward(request, target, attempt + 1, answer);
                });
    }

    /** Every request ends here once: its metrics, and the ledger the control loop observes. */
    private void ended(String model, String outcome, int status, long start) {
        long nanos = System.nanoTime() - start;
        ModelRoute route = table.get().route(model).orElse(null);
        // One verdict feeds both the control loop's ledger and the Prometheus SLI counters.
        SliVerdict sli = route == null ? SliVerdict.EXCLUDED : SliVerdict.of(status, nanos, route.sloMs());
        metrics.request(model, outcome, sli, nanos);
        traffic.ended(model, sli, Outcome.ofStatus(status) == Outcome.SUCCESS, nanos);
    }

    /** A request the gateway ends itself: counted, and its verdict given to whoever waits. */
    private void fail(Promise<Answer> answer, String model, long start, ProtocolException error) {
        refused(model, start, error);
        answer.fail(error);
    }

    private String shedMessage(ModelRoute route, double remainingMs) {
        RouteTarget t = route.targets().get(0);
        double slower = route.targets().stream().mapToDouble(r -> slowdown.factor(r.replicaId())).min().orElse(1);
        return String.format("shed: model '%s' cannot answer within its deadline (%.1f ms left; a batch of %d takes"
                        + " %.1f ms%s and all %d replica(s) have work queued); retry later or relax the deadline",
                route.model(), Math.max(0, remainingMs), t.batch(), t.batchLatencyMs(), slower > 1.05
                        ? String.format(" by its profile, answers now take %.1fx longer,", slower) : "",
                route.targets().size());
    }

    private Void relay(RoutingContext ctx, HttpClientResponse resp, Buffer body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return null;
        }
        ctx.response().setStatusCode(resp.statusCode());
        for (String name : RELAYED_HEADERS) {
            String value = resp.getHeader(name);
            if (value != null) {
                ctx.response().putHeader(name, value);
            }
        }
        ctx.response().end(body);
        return null;
    }

    /** The 401 or 403 for a request this model's tokens do not admit, or null when it may go on. */
    private ProtocolException denied(RoutingContext ctx, String model) {
        ProtocolException denied = denied(model, ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (denied != null && denied.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"stratus\"");
        }
        return denied;
    }

    /**
     * The 401 or 403 for a request of {@code model} with this {@code Authorization} value (null: none), whatever
     * its transport (gRPC sends it as call metadata), or null when it may go on.
     */
    ProtocolException denied(String model, String authorization) {
        return switch (access.check(model, authorization)) {
            case ALLOW -> null;
            case UNAUTHENTICATED -> new ProtocolException(401, "model '" + model + "' needs a token: send "
                    + "'Authorization: Bearer TOKEN' with a token for this model");
            case FORBIDDEN -> new ProtocolException(403, "this token may not use model '" + model + "'");
        };
    }

    private ModelRoute routeOrFail(RoutingContext ctx) {
        try {
            return route(ctx.pathParam("model"));
        } catch (ProtocolException e) {
            sendError(ctx, e);
            return null;
        }
    }

    /** The route of {@code model}; 404 naming the models served when there is none. */
    ModelRoute route(String model) {
        return table.get().route(model).orElseThrow(() -> ProtocolException.notFound("unknown model '" + model
                + "'; the gateway serves " + table.get().models().keySet().stream().sorted().toList()));
    }

    /** A request refused before it could be dispatched (malformed, say), counted as such. */
    void refused(String model, long start, ProtocolException error) {
        ended(model, Outcome.ofStatus(error.status()).label(), error.status(), start);
    }

    private void finish(RoutingContext ctx, String model, long start, ProtocolException error) {
        refused(model, start, error);
        sendError(ctx, error);
    }

    private void sendError(RoutingContext ctx, ProtocolException e) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                .end(Buffer.buffer(encoder.error(e.getMessage())));
    }

    @Override
    public void close() {
        client.close();
    }
}
