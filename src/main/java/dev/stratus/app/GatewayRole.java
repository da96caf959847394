package dev.stratus.app;

import dev.stratus.app.security.AccessControl;
import dev.stratus.security.AccessTokens;
import dev.stratus.security.Bearer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.config.StratusConfig;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.gateway.GatewayGrpcApi;
import dev.stratus.dataplane.grpc.GrpcEndpoint;
import dev.stratus.host.Versions;
import dev.stratus.metrics.MicrometerGatewayMetrics;
import dev.stratus.operator.adapter.GatewayTrafficObserver;
import dev.stratus.operator.launch.OperatorLauncher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Wires the gateway role (a Deployment in the cluster): the same {@link Gateway} as the local control service, fed
 * by the operator package's watch (serving pods from a watch, routing facts from the InferenceModels' status), and
 * {@code GET /gateway/v1/traffic}, where the operator's control loop reads what this gateway saw.
 */
@ApplicationScoped
public class GatewayRole {
    @Inject
    StratusConfig config;

    @Inject
    AccessControl access;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    private final ObjectMapper json = new ObjectMapper();
    private volatile Gateway gateway;
    private volatile GrpcEndpoint grpc;
    private volatile OperatorLauncher.GatewayRoutes routes;

    void mount(@Observes Router router) {
        if (!"gateway".equals(config.role())) {
            return;
        }
        // At an edge site: the same Gateway as a local site's (its site's replicas first, the round-trip-charged
        // spill to the cloud through CloudLink, 429/503 when neither can answer in time).
        Optional<String> site = config.kubernetes().site();
        gateway = new Gateway(vertx, site.map(s -> new MicrometerGatewayMetrics(registry, s))
                .orElseGet(() -> new MicrometerGatewayMetrics(registry)), config.control().maxRequestBytes(),
                Versions.stratus(), access.inferenceAccess(), site.map(s -> new Gateway.Site(s,
                        URI.create(config.kubernetes().cloudUrl().orElseThrow(() -> new IllegalStateException(
                                "an edge site's gateway needs the cloud gateway's URL (--cloud-url)"))))),
                new OcrDictionary());
        gateway.mount(router);
        config.control().grpcPort().ifPresent(port -> grpc = new GatewayGrpcApi(gateway).endpoint().start(vertx,
                ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"), port,
                config.control().maxRequestBytes()));
        // A read takes the traffic since the previous one away from the operator's control loop: admins only.
        router.get(GatewayTrafficObserver.PATH).handler(ctx -> {
            String token = Bearer.token(ctx.request().getHeader("Authorization"));
            if (token == null || !access.tokens().rolesOf(token).contains(AccessTokens.ADMIN)) {
                ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", Bearer.SCHEME)
                        .putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"the gateway's traffic is read by the operator: send its admin token "
                                + "(Authorization: Bearer TOKEN)\"}");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").end(traffic().toString());
        });
        routes = OperatorLauncher.gatewayRoutes(config.kubernetes().namespace(), site,
                config.kubernetes().cloudRttMs(), gateway);
    }

    /** Each routed model's traffic since the previous read (one reader: the leading operator). */
    private ObjectNode traffic() {
        ObjectNode body = json.createObjectNode();
        ObjectNode models = body.putObject("models");
        for (String model : gateway.table().models().keySet()) {
            TrafficSample s = gateway.observer().sample(model);
            ObjectNode n = models.putObject(model).put("admitted", s.admitted()).put("shed", s.shed())
                    .put("good", s.good()).put("total", s.total()).put("inFlight", s.inFlight());
            if (!Double.isNaN(s.p50Ms())) {
                n.put("p50Ms", s.p50Ms());
            }
            if (!Double.isNaN(s.p99Ms())) {
                n.put("p99Ms", s.p99Ms());
            }
        }
        return body;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** Whether this role runs and its routing table is complete (false in other roles). */
    boolean routesSynced() {
        return routes != null && routes.synced();
    }

    boolean active() {
        return "gateway".equals(config.role());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (routes != null) {
            routes.close();
        }
        if (grpc != null) {
            grpc.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }
}
