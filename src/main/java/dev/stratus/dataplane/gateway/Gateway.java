package dev.stratus.dataplane.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.dataplane.dispatch.Dispatcher;
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

    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    private final Map<String, Dispatcher> dispatchers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    /** Per model: requests sent on to a replica, turned away, answered within the SLO; latency of answers. */
    private final TrafficLedger traffic = new TrafficLedger(this::inFlightOf);
    private final HttpClient client;
    private final GatewayMetrics metrics;
    private final long maxRequestBytes;
    private final String version;
    private final OipResponseEncoder encoder = new OipResponseEncoder();
    private final ObjectMapper json = new ObjectMapper();

    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setMaxPoolSize(64).setConnectTimeout(1000));
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.version = version;
    }

    /** Replaces the routing table; requests already forwarded finish where they are. */
    @Override
    public void publish(RoutingTable next) {
        // Meters first, so that the first request of a new model finds its own.
        Map<String, Double> slos = new java.util.HashMap<>();
        next.models().forEach((model, route) -> slos.put(model, route.sloMs()));
        metrics.routes(slos);
        RoutingTable previous = table.getAndSet(next);
        next.models().forEach((model, route) -> {
            ModelRoute old = previous.models().get(model);
            if (old == null || old.dispatch() != route.dispatch()) {
                dispatchers.put(model, new Dispatcher(route.dispatch()));
            }
        });
    }

    String version() {
        return version;
    }

    long maxRequestBytes() {
        return maxRequestBytes;
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
        router.get("/v2/health/live").handler(ctx -> ctx.response().setStatusCode(200).end());
        router.get("/v2/health/ready").handler(ctx -> ctx.response().setStatusCode(ready() ? 200 : 400).end());
        router.get("/v2").handler(this::serverMetadata);
        router.get("/v2/models/:model/ready").handler(this::modelReady);
        router.get("/v2/models/:model/versions/:version/ready").handler(this::modelReady);
        for (String suffix : List.of("", "/config", "/stats")) {
            router.get("/v2/models/:model" + suffix).handler(this::proxyGet);
            router.get("/v2/models/:model/versions/:version" + suffix).handler(this::proxyGet);
        }
        router.post("/v2/models/:model/infer").handler(this::infer);
        router.post("/v2/models/:model/versions/:version/infer").handler(this::infer);
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
        if (route != null) {
            fromReplica(route, ctx.request().uri()).onSuccess(answer -> relay(ctx, answer.response(), answer.body()))
                    .onFailure(e -> sendError(ctx, ProtocolException.of(e)));
        }
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
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String headerLength = ctx.request().getHeader(EncodedBody.HEADER_LENGTH);
        RequestBody.read(ctx, maxRequestBytes,
                body -> dispatch(new Inference(route.model(), uri, contentType, headerLength, body, start, deadline))
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
     * takes it (JSON or binary tensors; {@code headerLength} its Inference-Header-Content-Length, or null).
     */
    record Inference(String model, String uri, String contentType, String headerLength, Buffer body, long start,
            long deadline) {
    }

    /** A worker's answer, relayed as it came (its status may be an error). */
    record Answer(HttpClientResponse response, Buffer body) {
    }

    /**
     * Sends {@code request} to a replica of its model, chosen by the model's dispatcher under admission control, and
     * resends it to another one while the deadline allows when a replica fails without answering (connection lost,
     * or 503 draining). Succeeds with the answer a replica gave (whatever its status); fails with the gateway's own
     * verdict: 429 shed, 503 no replica, 502 no replica answered in time. Every request is counted once, here.
     */
    Future<Answer> dispatch(Inference request) {
        Promise<Answer> answer = Promise.promise();
        forward(request, null, 1, answer);
        return answer.future();
    }

    private void forward(Inference request, RouteTarget failed, int attempt, Promise<Answer> answer) {
        String model = request.model();
        long start = request.start();
        double remainingMs = (request.deadline() - System.nanoTime()) / 1e6;
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
                remainingMs, failed);
        if (index == Dispatcher.SHED) {
            if (attempt == 1) {
                traffic.shed(model);
            }
            ended(model, GatewayMetrics.SHED, 429, start);
            answer.fail(new ProtocolException(429, shedMessage(route, remainingMs)));
            return;
        }
        RouteTarget target = targets.get(index);
        if (attempt == 1) {
            traffic.admitted(model);
        }
        AtomicInteger counter = inFlight.computeIfAbsent(target.replicaId(), id -> new AtomicInteger());
        counter.incrementAndGet();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setURI(request.uri())
                // Past the deadline the answer is worthless; a little slack lets the worker's own 504 arrive.
                .setTimeout(Math.max(1, (long) remainingMs + 250))
                .putHeader(DEADLINE_HEADER, String.format("%.3f", remainingMs));
        if (request.contentType() != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, request.contentType());
        }
        if (request.headerLength() != null) {
            options.putHeader(EncodedBody.HEADER_LENGTH, request.headerLength());
        }
        client.request(options)
                .compose(req -> req.send(request.body()).compose(resp -> resp.body().map(b -> new Answer(resp, b))))
                .onComplete(ar -> {
                    counter.decrementAndGet();
                    boolean answered = ar.succeeded() && ar.result().response().statusCode() != 503;
                    if (answered || attempt >= MAX_ATTEMPTS || System.nanoTime() >= request.deadline()) {
                        if (ar.succeeded()) {
                            int status = ar.result().response().statusCode();
                            ended(model, Outcome.ofStatus(status).label(), status, start);
                            answer.complete(ar.result());
                        } else {
                            ProtocolException error = new ProtocolException(502, "replica " + target.replicaId()
                                    + " failed and no other could take the request in time: "
                                    + ar.cause().getMessage());
                            ended(model, Outcome.ofStatus(error.status()).label(), error.status(), start);
                            answer.fail(error);
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

    private static String shedMessage(ModelRoute route, double remainingMs) {
        RouteTarget t = route.targets().get(0);
        return String.format("shed: model '%s' cannot answer within its deadline (%.1f ms left; a batch of %d takes"
                        + " %.1f ms and all %d replica(s) have work queued); retry later or relax the deadline",
                route.model(), Math.max(0, remainingMs), t.batch(), t.batchLatencyMs(), route.targets().size());
    }

    private Void relay(RoutingContext ctx, HttpClientResponse resp, Buffer body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return null;
        }
        ctx.response().setStatusCode(resp.statusCode());
        for (String name : List.of(HttpHeaders.CONTENT_TYPE.toString(), EncodedBody.HEADER_LENGTH)) {
            String value = resp.getHeader(name);
            if (value != null) {
                ctx.response().putHeader(name, value);
            }
        }
        ctx.response().end(body);
        return null;
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
