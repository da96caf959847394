package dev.stratus.dataplane.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.fleet.ModelRoute;
import dev.stratus.core.model.fleet.PipelineRoute;
import dev.stratus.core.model.fleet.RouteTarget;
import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.RoutePublisher;
import dev.stratus.dataplane.dispatch.Dispatcher;
import dev.stratus.dataplane.dispatch.Slowdown;
import dev.stratus.dataplane.http.InferenceBody;
import dev.stratus.dataplane.http.Methods;
import dev.stratus.dataplane.http.RequestBody;
import dev.stratus.dataplane.pipeline.PipelineProgram;
import dev.stratus.dataplane.pipeline.PipelinePrograms;
import dev.stratus.dataplane.pipeline.TensorInfo;
import dev.stratus.dataplane.pipeline.ocr.CharacterDictionary;
import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.InferenceResponse;
import dev.stratus.dataplane.protocol.OipBinaryRequest;
import dev.stratus.dataplane.protocol.OipRequestDecoder;
import dev.stratus.dataplane.protocol.OipResponseDecoder;
import dev.stratus.dataplane.protocol.OipResponseEncoder;
import dev.stratus.dataplane.protocol.Outcome;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.protocol.RequestedOutput;
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
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway: the Open Inference Protocol for every model and pipeline, in front of the workers. It routes only
 * to replicas the routing table lists (serving, READY) at its own site, picks one per request with the model's
 * dispatch mode, stamps the deadline (the model's SLO, or the client's {@code Stratus-Deadline-Ms} when tighter),
 * sheds at once what no replica can finish in time (429), and resends a request whose replica failed without
 * answering (connection lost, or 503 draining) to another replica while its deadline allows. Bodies pass
 * through untouched: the gateway never decodes a model's tensors.
 *
 * <p>An <b>edge site's</b> gateway serves with its site's replicas while they can meet the request's deadline, and
 * otherwise forwards the request to the cloud gateway with the round trip charged against the deadline (the
 * cloud gets the reduced deadline); what can meet its deadline nowhere is shed at once (429), and while the cloud
 * is unreachable what the site cannot serve is refused at once (503).
 *
 * <p>A <b>pipeline</b> is an endpoint of its own: its program runs the stages in DAG order, each stage request
 * going through the same dispatch as any request for that model (batched at its replicas with the others), with
 * the stage's planned budget as its deadline.
 */
public final class Gateway implements RoutePublisher, AutoCloseable {
    public static final String DEADLINE_HEADER = "Stratus-Deadline-Ms";
    static final String NAME = "stratus-gateway";
    /** On a request an edge site forwards to the cloud: the site. The cloud counts it for that site, not its own. */
    public static final String ORIGIN_HEADER = "Stratus-Origin-Site";
    /** On every answer: where the request was served ({@link Served#label()}). */
    public static final String SERVED_HEADER = "Stratus-Served-By";
    /** Attempts per request, first one included. */
    static final int MAX_ATTEMPTS = 3;
    /** What the worker needs of the client's request besides the body: its type and coding, and what it accepts. */
    private static final List<String> FORWARDED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE.toString(),
            EncodedBody.HEADER_LENGTH, HttpHeaders.CONTENT_ENCODING.toString(), HttpHeaders.ACCEPT_ENCODING.toString());
    /** What the client needs of the worker's answer besides the body. */
    private static final List<String> RELAYED_HEADERS = List.of(HttpHeaders.CONTENT_TYPE.toString(),
            EncodedBody.HEADER_LENGTH, HttpHeaders.CONTENT_ENCODING.toString(), HttpHeaders.VARY.toString());

    /** Who sent a request: a client, a pipeline of this gateway (a stage), or an edge site (relayed). */
    enum Origin { CLIENT, STAGE, RELAYED }

    /** One request on its way: what is sent on, and when it must be answered by. */
    private record Call(String model, String uri, Map<String, String> headers, Buffer body, long start,
            long deadline, Origin origin) {
    }

    /** Where a request's answer goes: the client's HTTP response, or a pipeline waiting on a stage. */
    private interface Exchange {
        /** @param headers what the client needs of the answer besides the body ({@link #RELAYED_HEADERS}) */
        void answer(int status, Map<String, String> headers, Buffer body, Served served);

        void error(ProtocolException e, Served served);
    }

    /** An edge site's gateway: the site's name and the cloud gateway's address. */
    public record Site(String name, URI cloud) {
    }

    private final String site;
    private final Served local;
    private final CloudLink cloud;
    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    /** Every site's replicas too: what this gateway does not serve itself, and where it is served instead. */
    private final AtomicReference<RoutingTable> everywhere = new AtomicReference<>(RoutingTable.EMPTY);
    private final Map<String, Dispatcher> dispatchers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Program> programs = new ConcurrentHashMap<>();
    /** How much slower than predicted each replica answers now; admission scales its queue by it. */
    private final Slowdown slowdown = new Slowdown();
    /** Per model: requests sent on to a replica, turned away, answered within the SLO; latency of answers. */
    private final TrafficLedger traffic = new TrafficLedger(this::inFlightOf);
    private final HttpClient client;
    private final GatewayMetrics metrics;
    private final long maxRequestBytes;
    private final String version;
    private final InferenceAccess access;
    private final Supplier<CharacterDictionary> dictionary;
    /** Pipelines' processing between stages: never on the event loop. */
    private final ExecutorService work = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform()
            .name("pipeline-work").daemon(true).unstarted(r));
    private final OipResponseEncoder encoder = new OipResponseEncoder();
    private final OipRequestDecoder decoder = new OipRequestDecoder();
    private final ObjectMapper json = new ObjectMapper();

    private record Program(PipelineRoute route, PipelineProgram program) {
    }

    /** The cloud gateway, with no pipeline needing a dictionary. */
    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version) {
        this(vertx, metrics, maxRequestBytes, version, InferenceAccess.OPEN);
    }

    /** @param access which clients may use which model (per-model tokens); {@link InferenceAccess#OPEN} for all */
    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version,
            InferenceAccess access) {
        this(vertx, metrics, maxRequestBytes, version, access, Optional.empty(), () -> {
            throw new ProtocolException(503, "no character dictionary configured for OCR pipelines");
        });
    }

    /**
     * @param access     which clients may use which model or pipeline (per-model tokens)
     * @param site       an edge site's name and its cloud gateway; empty for the cloud gateway
     * @param dictionary the OCR recogniser's characters, read when a PP-OCR pipeline first needs them
     */
    public Gateway(Vertx vertx, GatewayMetrics metrics, long maxRequestBytes, String version, InferenceAccess access,
            Optional<Site> site, Supplier<CharacterDictionary> dictionary) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setMaxPoolSize(64).setConnectTimeout(1000));
        this.metrics = metrics;
        this.maxRequestBytes = maxRequestBytes;
        this.version = version;
        this.access = access;
        this.site = site.map(Site::name).orElse(RouteTarget.CLOUD);
        this.local = site.isPresent() ? Served.EDGE : Served.CLOUD;
        this.cloud = site.map(s -> new CloudLink(vertx, client, s.cloud())).orElse(null);
        this.dictionary = dictionary;
    }

    /** Replaces the routing table (this gateway keeps its site's replicas); requests in flight finish where they are. */
    @Override
    public void publish(RoutingTable all) {
        RoutingTable next = all.forSite(site);
        // Meters first, so that the first request of a new model finds its own.
        Map<String, Double> slos = new HashMap<>();
        next.models().forEach((model, route) -> slos.put(model, route.sloMs()));
        next.pipelines().forEach((name, route) -> slos.put(name, route.sloMs()));
        metrics.routes(slos);
        everywhere.set(all);
        RoutingTable previous = table.getAndSet(next);
        slowdown.retain(next.models().values().stream().flatMap(r -> r.targets().stream())
                .map(RouteTarget::replicaId).toList());
        next.models().forEach((model, route) -> {
            ModelRoute old = previous.models().get(model);
            if (old == null || old.dispatch() != route.dispatch()) {
                dispatchers.put(model, new Dispatcher(route.dispatch()));
            }
        });
        next.pipelines().forEach((name, route) -> {
            Program p = programs.get(name);
            if (p == null || !p.route().equals(route)) {
                programs.put(name, new Program(route, PipelinePrograms.of(route, dictionary)));
            }
        });
        programs.keySet().retainAll(next.pipelines().keySet());
        if (cloud != null) {
            cloud.plannedRttMs(all.sites().getOrDefault(site, 0.0));
        }
    }

    public RoutingTable table() {
        return table.get();
    }

    /** This gateway's edge site, or {@link RouteTarget#CLOUD} for the cloud gateway. */
    public String site() {
        return site;
    }

    /** An edge site's link to the cloud: its address, round trip and reachability; empty at the cloud gateway. */
    public Optional<CloudState> cloud() {
        return Optional.ofNullable(cloud).map(c -> new CloudState(c.address(), c.rttMs(), c.measuredRttMs(),
                c.reachable(), c.lastError()));
    }

    /** What an edge site knows of its cloud gateway now. */
    public record CloudState(URI address, double chargedRttMs, double measuredRttMs, boolean reachable,
            String lastError) {
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

    /** A model's or pipeline's requests since start by where they were served. */
    public ServedCounts served(String model) {
        return traffic.served(model);
    }

    /** What the control loop observes of each model's (and pipeline's) traffic here. */
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
        // Versions live in the workers (each serves every version of its models): a replica answers for a version,
        // forwarded as a model's metadata is.
        Methods.health(router, "/v2/models/:model/versions/:version/ready", this::metadata);
        Methods.only(router, HttpMethod.GET, "/v2", this::serverMetadata);
        for (String suffix : List.of("", "/config", "/stats")) {
            Methods.only(router, HttpMethod.GET, "/v2/models/:model" + suffix, this::metadata);
            Methods.only(router, HttpMethod.GET, "/v2/models/:model/versions/:version" + suffix, this::metadata);
        }
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/infer", this::infer);
        Methods.only(router, HttpMethod.POST, "/v2/models/:model/versions/:version/infer", this::infer);
    }

    /**
     * Ready when every routed model can be served: a replica here, or (at an edge site) a reachable cloud. At the
     * cloud gateway a model whose replicas are all at edge sites does not hold readiness back: it is not served here.
     */
    public boolean ready() {
        RoutingTable t = table.get();
        return !t.models().isEmpty() && t.models().values().stream().allMatch(r -> servable(r)
                || (cloud == null && !edgeSites(r.model()).isEmpty()));
    }

    /** The edge sites with replicas of a model (at the cloud gateway: where it is served instead). */
    private List<String> edgeSites(String model) {
        return everywhere.get().route(model).map(r -> r.targets().stream().map(RouteTarget::site)
                .filter(s -> !s.equals(site)).distinct().sorted().toList()).orElse(List.of());
    }

    private boolean servable(ModelRoute r) {
        return !r.targets().isEmpty() || (cloud != null && cloud.reachable());
    }

    private void serverMetadata(RoutingContext ctx) {
        ObjectNode body = json.createObjectNode().put("name", NAME).put("version", version);
        EncodedBody.EXTENSIONS.forEach(body.putArray("extensions")::add);
        List<String> names = new ArrayList<>(table.get().models().keySet());
        names.addAll(table.get().pipelines().keySet());
        body.putArray("models").addAll(names.stream().sorted().map(json.getNodeFactory()::textNode).toList());
        if (!site.isEmpty()) {
            body.put("site", site);
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE).end(body.toString());
    }

    private void modelReady(RoutingContext ctx) {
        Optional<PipelineRoute> pipeline = table.get().pipeline(ctx.pathParam("model"));
        if (pipeline.isPresent()) {
            boolean ready = pipeline.get().pipeline().stages().stream().allMatch(s -> table.get().route(s)
                    .map(this::servable).orElse(false));
            ctx.response().setStatusCode(ready ? 200 : 400).end();
            return;
        }
        ModelRoute route = routeOrFail(ctx);
        if (route != null) {
            ctx.response().setStatusCode(servable(route) ? 200 : 400).end();
        }
    }

    /**
     * A pipeline's metadata is its program's; a model's comes from a serving replica (the worker is the authority on
     * its model), or from the cloud when an edge site has none.
     */
    private void metadata(RoutingContext ctx) {
        Optional<PipelineRoute> pipeline = table.get().pipeline(ctx.pathParam("model"));
        if (pipeline.isPresent()) {
            pipelineMetadata(ctx, pipeline.get());
            return;
        }
        ModelRoute route = routeOrFail(ctx);
        if (route == null) {
            return;
        }
        ProtocolException denied = denied(ctx, route.model());
        if (denied != null) {
            sendError(ctx, denied, Served.NONE);
            return;
        }
        String host;
        int port;
        String from;
        if (!route.targets().isEmpty()) {
            RouteTarget t = route.targets().get(0);
            host = t.host();
            port = t.port();
            from = "replica " + t.replicaId();
        } else if (cloud != null && cloud.reachable()) {
            host = cloud.host();
            port = cloud.port();
            from = "the cloud gateway at " + cloud.address();
        } else {
            sendError(ctx, new ProtocolException(503, "model '" + route.model() + "' has no ready replica"
                    + (cloud == null ? "" : " here and the cloud gateway is unreachable")), Served.SHED);
            return;
        }
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                        .setURI(ctx.request().uri()).setTimeout(5000))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> {
                    relay(ctx, resp.statusCode(), relayedHeaders(resp), b, Served.byStatus(local, resp.statusCode()));
                    return null;
                })))
                .onFailure(e -> sendError(ctx, new ProtocolException(502, from + " did not answer: "
                        + e.getMessage()), Served.SHED));
    }

    private void pipelineMetadata(RoutingContext ctx, PipelineRoute route) {
        if (ctx.request().path().endsWith("/stats")) {
            sendError(ctx, ProtocolException.notFound("pipeline '" + route.name() + "' keeps no statistics; each "
                    + "stage's model does"), Served.NONE);
            return;
        }
        Program p = programs.get(route.name());
        ObjectNode body = json.createObjectNode().put("name", route.name());
        body.putArray("versions").add("1");
        body.put("platform", "stratus_pipeline");
        tensors(body.putArray("inputs"), p.program().inputs());
        tensors(body.putArray("outputs"), p.program().outputs());
        ObjectNode parameters = body.putObject("parameters");
        parameters.put("processing", route.wiring().processing().name().toLowerCase(java.util.Locale.ROOT));
        parameters.put("slo_ms", route.sloMs());
        ArrayNode stages = parameters.putArray("stages");
        for (String s : route.pipeline().topologicalOrder()) {
            stages.addObject().put("model", s).put("budget_ms", route.budgetMs(s));
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE).end(body.toString());
    }

    private static void tensors(ArrayNode into, List<TensorInfo> infos) {
        for (TensorInfo t : infos) {
            ArrayNode shape = into.addObject().put("name", t.name()).put("datatype", t.datatype().name())
                    .putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
        }
    }

    private void infer(RoutingContext ctx) {
        long start = System.nanoTime();
        Optional<PipelineRoute> pipeline = table.get().pipeline(ctx.pathParam("model"));
        String name = pipeline.map(PipelineRoute::name).orElse(null);
        ModelRoute route = null;
        if (pipeline.isEmpty()) {
            route = routeOrFail(ctx);
            if (route == null) {
                return;
            }
            name = route.model();
        }
        String origin = ctx.request().getHeader(ORIGIN_HEADER);
        Origin from = origin == null ? Origin.CLIENT : Origin.RELAYED;
        Exchange toClient = clientExchange(ctx);
        ProtocolException denied = denied(ctx, name);
        if (denied != null) {
            finish(name, start, from, toClient, denied, Served.NONE);
            return;
        }
        double budgetMs = pipeline.map(PipelineRoute::sloMs).orElse(route == null ? 0 : route.sloMs());
        String clientDeadline = ctx.request().getHeader(DEADLINE_HEADER);
        if (clientDeadline != null) {
            try {
                double ms = Double.parseDouble(clientDeadline.trim());
                if (!(ms > 0)) {
                    throw new NumberFormatException();
                }
                budgetMs = Math.min(budgetMs, ms);
            } catch (NumberFormatException e) {
                finish(name, start, from, toClient, new ProtocolException(400, DEADLINE_HEADER
                        + " must be a positive number of milliseconds, got '" + clientDeadline + "'"), Served.NONE);
                return;
            }
        }
        long deadline = start + (long) (budgetMs * 1e6);
        String model = name;
        if (pipeline.isPresent()) {
            // A pipeline's body is read here (decoded when compressed): its program needs the tensors.
            RequestBody.read(ctx, maxRequestBytes, body -> runPipeline(ctx, pipeline.get(), body, start, deadline),
                    error -> finish(model, start, from, toClient, error, Served.NONE));
            return;
        }
        // Forwarded as sent, compressed or not: the worker decodes (and bounds the decoded size), so the gateway
        // spends no CPU on it and a retry resends the smaller body.
        RequestBody.readAsSent(ctx, maxRequestBytes, body -> forward(new Call(model, ctx.request().uri(),
                        forwardedHeaders(ctx), body, start, deadline, from), toClient, null, 1),
                error -> finish(model, start, from, toClient, error, Served.NONE));
    }

    /**
     * What the worker needs of the client's request besides the body, and the client's credentials, which only the
     * cloud gateway gets (an edge site's forward is checked there again).
     */
    private static Map<String, String> forwardedHeaders(RoutingContext ctx) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : FORWARDED_HEADERS) {
            String value = ctx.request().getHeader(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        String credentials = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (credentials != null) {
            out.put(HttpHeaders.AUTHORIZATION.toString(), credentials);
        }
        return out;
    }

    private Exchange clientExchange(RoutingContext ctx) {
        return new Exchange() {
            @Override
            public void answer(int status, Map<String, String> headers, Buffer body, Served served) {
                relay(ctx, status, headers, body, served);
            }

            @Override
            public void error(ProtocolException e, Served served) {
                sendError(ctx, e, served);
            }
        };
    }

    private void forward(Call call, Exchange ex, RouteTarget failed, int attempt) {
        double remainingMs = (call.deadline() - System.nanoTime()) / 1e6;
        ModelRoute route = table.get().route(call.model()).orElse(null);
        List<RouteTarget> targets = route == null ? List.of() : route.targets();
        int index = Dispatcher.SHED;
        if (!targets.isEmpty() && remainingMs > 0) {
            Dispatcher dispatcher = dispatchers.computeIfAbsent(call.model(), m -> new Dispatcher(route.dispatch()));
            index = dispatcher.choose(targets, t -> inFlight(t.replicaId()), remainingMs, failed,
                    t -> slowdown.of(t.replicaId()));
        }
        if (index == Dispatcher.SHED && failed != null && remainingMs <= 0) {
            // Retrying after a replica failed, and the time is up: the deadline, not the capacity, ended it.
            fail(call, ex, new ProtocolException(504, "replica " + failed.replicaId() + " failed without "
                    + "answering and the deadline passed before another replica could take the request"), Served.SHED);
            return;
        }
        if (index == Dispatcher.SHED && cloud != null && call.origin() != Origin.RELAYED) {
            spill(call, ex, attempt);
            return;
        }
        if (route == null || targets.isEmpty()) {
            if (attempt == 1 && call.origin() == Origin.CLIENT) {
                traffic.shed(call.model());
            }
            ended(call, GatewayMetrics.NO_REPLICA, 503, Served.SHED);
            List<String> elsewhere = edgeSites(call.model());
            ex.error(new ProtocolException(503, "model '" + call.model() + "' has no ready replica"
                    + (elsewhere.isEmpty() ? "" : " here; it is served at edge site(s) " + elsewhere
                    + ", send it to the site's gateway")), Served.SHED);
            return;
        }
        if (index == Dispatcher.SHED) {
            if (attempt == 1 && call.origin() == Origin.CLIENT) {
                traffic.shed(call.model());
            }
            ended(call, GatewayMetrics.SHED, 429, Served.SHED);
            ex.error(new ProtocolException(429, (failed == null ? "" : "replica " + failed.replicaId()
                    + " failed without answering; ") + shedMessage(route, remainingMs)), Served.SHED);
            return;
        }
        RouteTarget target = targets.get(index);
        if (attempt == 1 && call.origin() == Origin.CLIENT) {
            traffic.admitted(call.model());
        }
        AtomicInteger counter = inFlight.computeIfAbsent(target.replicaId(), id -> new AtomicInteger());
        int ahead = counter.incrementAndGet() - 1;
        long sent = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host())
                .setPort(target.port()).setURI(call.uri())
                // Past the deadline the answer is worthless; a little slack lets the worker's own 504 arrive.
                .setTimeout(Math.max(1, (long) remainingMs + 250))
                .putHeader(DEADLINE_HEADER, String.format("%.3f", remainingMs));
        call.headers().forEach((name, value) -> {
            if (!HttpHeaders.AUTHORIZATION.toString().equalsIgnoreCase(name)) {
                options.putHeader(name, value); // workers take no credentials
            }
        });
        client.request(options)
                .compose(req -> req.send(call.body()).compose(resp -> resp.body().map(b -> new Answer(resp, b))))
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
                    if (answered || attempt >= MAX_ATTEMPTS || System.nanoTime() >= call.deadline()) {
                        if (ar.succeeded()) {
                            HttpClientResponse resp = ar.result().response();
                            int status = resp.statusCode();
                            Served served = Served.byStatus(local, status);
                            ended(call, Outcome.ofStatus(status).label(), status, served);
                            ex.answer(status, relayedHeaders(resp), ar.result().body(), served);
                        } else if (System.nanoTime() >= call.deadline()) {
                            fail(call, ex, new ProtocolException(504, "replica " + target.replicaId()
                                    + " failed and the deadline passed before another could answer: "
                                    + ar.cause().getMessage()), Served.SHED);
                        } else {
                            fail(call, ex, new ProtocolException(502, "replica " + target.replicaId()
                                    + " failed, the last of " + MAX_ATTEMPTS + " attempts: " + ar.cause().getMessage()),
                                    Served.SHED);
                        }
                        return;
                    }
                    // Not processed there (connection lost, or the replica is draining): try another one.
                    metrics.retry(call.model());
                    forward(call, ex, target, attempt + 1);
                });
    }

    /**
     * An edge site sends on to the cloud gateway what its replicas cannot serve in time, with the round trip
     * charged: the cloud gets the deadline less the round trip, and a request with no time left for it is shed at
     * once. While the cloud is unreachable such requests are refused at once (503).
     */
    private void spill(Call call, Exchange ex, int attempt) {
        boolean first = attempt == 1 && call.origin() == Origin.CLIENT;
        double remainingMs = (call.deadline() - System.nanoTime()) / 1e6;
        double rtt = cloud.rttMs();
        if (!cloud.reachable()) {
            if (first) {
                traffic.shed(call.model());
            }
            ended(call, GatewayMetrics.NO_REPLICA, 503, Served.SHED);
            ex.error(new ProtocolException(503, String.format("edge site '%s' cannot serve model '%s' in time "
                    + "(%.1f ms left) and the cloud gateway at %s is unreachable (%s); retry later", site,
                    call.model(), Math.max(0, remainingMs), cloud.address(), cloud.lastError())), Served.SHED);
            return;
        }
        double left = remainingMs - rtt;
        if (left <= 0) {
            if (first) {
                traffic.shed(call.model());
            }
            ended(call, GatewayMetrics.SHED, 429, Served.SHED);
            ex.error(new ProtocolException(429, String.format("shed: model '%s' cannot answer within its deadline "
                    + "at edge site '%s' (its replicas are busy or absent) nor in the cloud (%.1f ms left, the round "
                    + "trip to the cloud takes %.1f ms); retry later or relax the deadline", call.model(), site,
                    Math.max(0, remainingMs), rtt)), Served.SHED);
            return;
        }
        if (first) {
            traffic.admitted(call.model());
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(cloud.host())
                .setPort(cloud.port()).setURI(call.uri()).setTimeout(Math.max(1, (long) remainingMs + 250))
                .putHeader(DEADLINE_HEADER, String.format("%.3f", left)).putHeader(ORIGIN_HEADER, site);
        call.headers().forEach(options::putHeader);
        client.request(options)
                .compose(req -> req.send(call.body()).compose(resp -> resp.body().map(b -> new Answer(resp, b))))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        HttpClientResponse resp = ar.result().response();
                        int status = resp.statusCode();
                        Served served = Served.byStatus(Served.CLOUD, status);
                        ended(call, Outcome.ofStatus(status).label(), status, served);
                        ex.answer(status, relayedHeaders(resp), ar.result().body(), served);
                        return;
                    }
                    boolean timedOut = System.nanoTime() >= call.deadline();
                    if (!timedOut) {
                        cloud.failed(ar.cause());
                    }
                    fail(call, ex, new ProtocolException(timedOut ? 504 : 503, "edge site '" + site
                            + "' forwarded the request to the cloud gateway at " + cloud.address() + ", which "
                            + (timedOut ? "did not answer before the deadline" : "is unreachable (" + ar.cause()
                            .getMessage() + ")")), Served.SHED);
                });
    }

    /** What the client needs of an answer besides the body. */
    private static Map<String, String> relayedHeaders(HttpClientResponse resp) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : RELAYED_HEADERS) {
            String value = resp.getHeader(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /**
     * Runs a pipeline request: the body decoded, the program's stages through {@link #forward} (each with its
     * budget as its deadline, never past the pipeline's), the answer encoded as the client asked.
     */
    private void runPipeline(RoutingContext ctx, PipelineRoute route, Buffer body, long start, long deadline) {
        Exchange toClient = clientExchange(ctx);
        Call call = new Call(route.name(), ctx.request().uri(), Map.of(), body, start, deadline, Origin.CLIENT);
        InferenceRequest request;
        try {
            if (body.length() == 0) {
                throw ProtocolException.badRequest("request body is empty");
            }
            request = InferenceBody.decode(decoder, body, InferenceBody.headerLength(
                    ctx.request().getHeader(EncodedBody.HEADER_LENGTH), body));
        } catch (ProtocolException e) {
            finish(call, toClient, e, Served.NONE);
            return;
        }
        Program p = programs.get(route.name());
        boolean[] cloudServed = {false};
        String credentials = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        p.program().run(request.inputs(), (stage, inputs) -> stage(route, stage, inputs, deadline, credentials,
                        cloudServed), work)
                .whenComplete((outputs, error) -> {
                    Served where = cloudServed[0] ? Served.CLOUD : local;
                    if (error != null) {
                        ProtocolException e = unwrap(error);
                        Served served = Served.byStatus(where, e.status());
                        if (e.status() != 400 && e.status() != 429 && e.status() != 503) {
                            traffic.admitted(route.name()); // it ran, and failed on the way (shed ones count below)
                        }
                        finish(call, toClient, new ProtocolException(e.status(), "pipeline '" + route.name() + "': "
                                + e.getMessage()), e.status() == 400 ? Served.NONE : served);
                        return;
                    }
                    try {
                        EncodedBody encoded = encoder.encode(new InferenceResponse(route.name(), "1", request.id(),
                                selected(request, outputs)));
                        traffic.admitted(route.name());
                        ended(call, Outcome.SUCCESS.label(), 200, where);
                        io.netty.buffer.ByteBuf[] parts = new io.netty.buffer.ByteBuf[encoded.binaryParts().size() + 1];
                        parts[0] = io.netty.buffer.Unpooled.wrappedBuffer(encoded.json());
                        for (int i = 0; i < encoded.binaryParts().size(); i++) {
                            parts[i + 1] = io.netty.buffer.Unpooled.wrappedBuffer(encoded.binaryParts().get(i));
                        }
                        Buffer out = Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(parts));
                        Map<String, String> headers = new LinkedHashMap<>();
                        headers.put(HttpHeaders.CONTENT_TYPE.toString(), encoded.contentType());
                        encoded.headerLength().ifPresent(n -> headers.put(EncodedBody.HEADER_LENGTH,
                                Integer.toString(n)));
                        toClient.answer(200, headers, out, where);
                    } catch (ProtocolException e) {
                        finish(call, toClient, e, Served.NONE);
                    }
                });
    }

    /** The outputs the request asked for (all when none named), each binary or JSON as asked. */
    private static List<InferenceResponse.Output> selected(InferenceRequest request, List<Tensor> outputs) {
        List<InferenceResponse.Output> out = new ArrayList<>();
        if (request.outputs().isEmpty()) {
            outputs.forEach(t -> out.add(new InferenceResponse.Output(t, request.binaryOutputs())));
            return out;
        }
        for (RequestedOutput r : request.outputs()) {
            Tensor t = outputs.stream().filter(o -> o.name().equals(r.name())).findFirst().orElseThrow(() ->
                    ProtocolException.badRequest("the pipeline has no output '" + r.name() + "'; its outputs are "
                            + outputs.stream().map(Tensor::name).toList()));
            out.add(new InferenceResponse.Output(t, r.binary().orElse(request.binaryOutputs())));
        }
        return out;
    }

    /** One stage request of a pipeline, dispatched like any request for its model. */
    private CompletableFuture<Map<String, Tensor>> stage(PipelineRoute route, String stage, List<Tensor> inputs,
            long pipelineDeadline, String credentials, boolean[] cloudServed) {
        long now = System.nanoTime();
        long deadline = route.stageDeadlineNanos(stage, now, pipelineDeadline);
        OipBinaryRequest body = OipBinaryRequest.of(inputs);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.CONTENT_TYPE.toString(), OipBinaryRequest.CONTENT_TYPE);
        headers.put(EncodedBody.HEADER_LENGTH, Integer.toString(body.headerLength()));
        if (credentials != null) {
            headers.put(HttpHeaders.AUTHORIZATION.toString(), credentials); // for the cloud, should a stage spill
        }
        Call call = new Call(stage, "/v2/models/" + stage + "/infer", headers, Buffer.buffer(body.body()), now,
                deadline, Origin.STAGE);
        CompletableFuture<Map<String, Tensor>> result = new CompletableFuture<>();
        forward(call, new Exchange() {
            @Override
            public void answer(int status, Map<String, String> headers, Buffer b, Served served) {
                cloudServed[0] |= served == Served.CLOUD && local == Served.EDGE;
                String headerLength = headers.get(EncodedBody.HEADER_LENGTH);
                byte[] bytes = b.getBytes();
                if (status != 200) {
                    result.completeExceptionally(new ProtocolException(status, "stage " + stage + ": "
                            + OipResponseDecoder.error(bytes)));
                    return;
                }
                try {
                    result.complete(OipResponseDecoder.outputs(bytes, headerLength == null ? OptionalInt.empty()
                            : OptionalInt.of(Integer.parseInt(headerLength.trim()))));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e instanceof ProtocolException ? e : new ProtocolException(502,
                            "stage " + stage + ": unreadable answer: " + e.getMessage()));
                }
            }

            @Override
            public void error(ProtocolException e, Served served) {
                result.completeExceptionally(new ProtocolException(e.status(), "stage " + stage + ": "
                        + e.getMessage()));
            }
        }, null, 1);
        return result;
    }

    private static ProtocolException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ProtocolException pe ? pe
                : new ProtocolException(500, "pipeline failed: " + cause);
    }

    /**
     * Every request ends here once: its metrics, and the ledger the control loop observes. A request relayed from
     * an edge site is counted in this gateway's request metrics but not in its SLI or ledger: its site counts it.
     */
    private void ended(Call call, String outcome, int status, Served served) {
        long nanos = System.nanoTime() - call.start();
        double sloMs = table.get().route(call.model()).map(ModelRoute::sloMs)
                .or(() -> table.get().pipeline(call.model()).map(PipelineRoute::sloMs)).orElse(Double.NaN);
        // One verdict feeds both the control loop's ledger and the Prometheus SLI counters.
        SliVerdict sli = Double.isNaN(sloMs) || call.origin() == Origin.RELAYED ? SliVerdict.EXCLUDED
                : SliVerdict.of(status, nanos, sloMs);
        metrics.request(call.model(), outcome, served, sli, nanos);
        traffic.ended(call.model(), sli, Outcome.ofStatus(status) == Outcome.SUCCESS, nanos, served);
    }

    private record Answer(HttpClientResponse response, Buffer body) {
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

    private void relay(RoutingContext ctx, int status, Map<String, String> headers, Buffer body, Served served) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(SERVED_HEADER, served.label());
        headers.forEach((name, value) -> ctx.response().putHeader(name, value));
        ctx.response().end(body);
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
            sendError(ctx, e, Served.NONE);
            return null;
        }
    }

    /** The route of {@code model}; 404 naming the models and pipelines served when there is none. */
    ModelRoute route(String model) {
        return table.get().route(model).orElseThrow(() -> {
            List<String> names = new ArrayList<>(table.get().models().keySet());
            names.addAll(table.get().pipelines().keySet());
            return ProtocolException.notFound("unknown model '" + model + "'; the gateway serves "
                    + names.stream().sorted().toList());
        });
    }

    String version() {
        return version;
    }

    /** A worker's (or the cloud gateway's) answer as another transport relays it. */
    record Answered(int status, Map<String, String> headers, Buffer body) {
    }

    /**
     * One inference from another transport (the gRPC API), its body as a worker's REST endpoint takes it: the same
     * dispatch as a REST request (admission, deadline, retries, spill to the cloud, counters). Completes with the
     * answer as it came (its status may be an error), or fails with the gateway's own verdict.
     */
    CompletableFuture<Answered> infer(String model, String uri, Map<String, String> headers, Buffer body, long start,
            long deadline) {
        CompletableFuture<Answered> result = new CompletableFuture<>();
        forward(new Call(model, uri, headers, body, start, deadline, Origin.CLIENT), transportExchange(result), null,
                1);
        return result;
    }

    /** A request of another transport refused before dispatch (malformed, say), counted as a REST one is. */
    void refused(String model, long start, ProtocolException error) {
        finish(model, start, Origin.CLIENT, transportExchange(new CompletableFuture<>()), error, Served.NONE);
    }

    private static Exchange transportExchange(CompletableFuture<Answered> result) {
        return new Exchange() {
            @Override
            public void answer(int status, Map<String, String> headers, Buffer body, Served served) {
                result.complete(new Answered(status, headers, body));
            }

            @Override
            public void error(ProtocolException e, Served served) {
                result.completeExceptionally(e);
            }
        };
    }

    /** A GET of {@code uri} (metadata) answered by a serving replica of {@code route}'s model. */
    CompletableFuture<Answered> fromReplica(ModelRoute route, String uri) {
        if (route.targets().isEmpty()) {
            return CompletableFuture.failedFuture(new ProtocolException(503, "model '" + route.model()
                    + "' has no ready replica"));
        }
        RouteTarget t = route.targets().get(0);
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(t.host()).setPort(t.port())
                        .setURI(uri).setTimeout(5000))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Answered(resp.statusCode(),
                        relayedHeaders(resp), b))))
                .recover(e -> io.vertx.core.Future.failedFuture(new ProtocolException(502, "replica "
                        + t.replicaId() + " did not answer: " + e.getMessage())))
                .toCompletionStage().toCompletableFuture();
    }

    private void finish(String model, long start, Origin origin, Exchange ex, ProtocolException error,
            Served served) {
        finish(new Call(model, "", Map.of(), null, start, start, origin), ex, error, served);
    }

    private void finish(Call call, Exchange ex, ProtocolException error, Served served) {
        if (call.origin() == Origin.CLIENT && (error.status() == 429 || error.status() == 503)) {
            traffic.shed(call.model());
        }
        ended(call, Outcome.ofStatus(error.status()).label(), error.status(), served);
        ex.error(error, served);
    }

    /** A request that was admitted (counted) ends with an error: counted as it ends, not as shed again. */
    private void fail(Call call, Exchange ex, ProtocolException error, Served served) {
        ended(call, Outcome.ofStatus(error.status()).label(), error.status(), served);
        ex.error(error, served);
    }

    private void sendError(RoutingContext ctx, ProtocolException e, Served served) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, EncodedBody.JSON_CONTENT_TYPE)
                .putHeader(SERVED_HEADER, served.label()).end(Buffer.buffer(encoder.error(e.getMessage())));
    }

    @Override
    public void close() {
        if (cloud != null) {
            cloud.close();
        }
        work.shutdownNow();
        client.close();
    }
}
