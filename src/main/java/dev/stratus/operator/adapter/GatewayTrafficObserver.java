package dev.stratus.operator.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.control.status.TrafficWindow;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.operator.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the control loop observes in the cluster: the traffic every gateway pod saw, read from each one's
 * {@code GET /gateway/v1/traffic} (per model, since the previous read) and merged. One fetch serves one loop tick:
 * the first model asked for in a tick triggers it, the others read its result.
 */
public final class GatewayTrafficObserver implements FleetObserver {
    private static final Logger LOG = Logger.getLogger(GatewayTrafficObserver.class);
    public static final String PATH = "/gateway/v1/traffic";

    private final KubernetesClient client;
    private final String namespace;
    private final int port;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, TrafficSample> pending = new HashMap<>();

    /** @param token the admin token the gateways accept, sent as a bearer token (their traffic is theirs to give) */
    public GatewayTrafficObserver(KubernetesClient client, String namespace, int port, Optional<String> token) {
        this.client = client;
        this.namespace = namespace;
        this.port = port;
        this.token = token;
    }

    @Override
    public synchronized TrafficSample sample(String model) {
        if (!pending.containsKey(model)) {
            pending.clear();
            pending.putAll(fetch());
            pending.putIfAbsent(model, TrafficSample.empty(model));
        }
        TrafficSample s = pending.remove(model);
        return s == null ? TrafficSample.empty(model) : s;
    }

    private Map<String, TrafficSample> fetch() {
        Map<String, TrafficSample> merged = new HashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).withLabel(Labels.COMPONENT, "gateway").list().getItems()) {
            if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
                continue;
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + p.getStatus().getPodIP()
                        + ":" + port + PATH)).timeout(Duration.ofSeconds(2));
                token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
                HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    parse(json.readTree(r.body())).forEach((m, s) -> merged.merge(m, s, TrafficWindow::merge));
                } else {
                    LOG.warnf("gateway %s: traffic read answered %d (%s)", p.getMetadata().getName(), r.statusCode(),
                            r.body());
                }
            } catch (Exception e) {
                LOG.debugf("gateway %s: no traffic read (%s)", p.getMetadata().getName(), e.getMessage());
            }
        }
        return merged;
    }

    /** {@code {"models": {"vad": {"admitted": 10, ...}}}} as samples. */
    public static Map<String, TrafficSample> parse(JsonNode body) {
        Map<String, TrafficSample> out = new HashMap<>();
        body.path("models").properties().forEach(e -> {
            JsonNode n = e.getValue();
            out.put(e.getKey(), new TrafficSample(e.getKey(), n.path("admitted").asLong(), n.path("shed").asLong(),
                    n.path("good").asLong(), n.path("total").asLong(), n.path("p50Ms").asDouble(Double.NaN),
                    n.path("p99Ms").asDouble(Double.NaN), n.path("inFlight").asInt()));
        });
        return out;
    }
}
