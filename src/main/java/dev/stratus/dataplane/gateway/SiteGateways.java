package dev.stratus.dataplane.gateway;

import dev.stratus.core.model.fleet.RoutingTable;
import dev.stratus.core.model.fleet.TrafficSample;
import dev.stratus.core.port.FleetObserver;
import dev.stratus.core.port.RoutePublisher;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The gateways of the local backend: the cloud gateway (on the control service's own port) and one gateway per
 * edge site, each on a listener of its own (its address configured per site, else a free port on loopback), all
 * fed the same routing table, each keeping its site's replicas. A site appears with the first table that names it
 * and goes with the first that does not. The control loop observes them as one: each request is counted where it
 * entered (a site's gateway counts what it forwarded to the cloud; the cloud does not count it again).
 */
public final class SiteGateways implements RoutePublisher, FleetObserver, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SiteGateways.class);

    /** Where a site's gateway listens. */
    public record Address(String host, int port) {
        /** {@code host:port}, port 0 meaning any free port. */
        public static Address parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new Address(text.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected HOST:PORT with a port 0..65535, got '" + text + "'");
            }
        }
    }

    /** How to make a site's gateway: where it listens, and the gateway itself (which knows its cloud). */
    public interface SiteFactory {
        Address address(String site);

        Gateway gateway(String site);
    }

    /** A running site gateway and where it listens (its bound port). */
    public record SiteGateway(String site, String host, int port, Gateway gateway) {
        public URI uri() {
            return URI.create("http://" + host + ":" + port);
        }
    }

    private final Vertx vertx;
    private final Gateway cloud;
    private final SiteFactory factory;
    private final Map<String, Running> sites = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    private record Running(SiteGateway view, HttpServer server) {
    }

    public SiteGateways(Vertx vertx, Gateway cloud, SiteFactory factory) {
        this.vertx = vertx;
        this.cloud = cloud;
        this.factory = factory;
    }

    @Override
    public synchronized void publish(RoutingTable table) {
        cloud.publish(table);
        for (String site : new TreeSet<>(table.sites().keySet())) {
            Running r = sites.get(site);
            if (r == null && !failures.containsKey(site)) {
                r = start(site);
            }
            if (r != null) {
                r.view().gateway().publish(table);
            }
        }
        for (String gone : new TreeSet<>(sites.keySet())) {
            if (!table.sites().containsKey(gone)) {
                stop(sites.remove(gone));
            }
        }
        failures.keySet().retainAll(table.sites().keySet());
    }

    private Running start(String site) {
        Address a = factory.address(site);
        Gateway gateway = factory.gateway(site);
        Router router = Router.router(vertx);
        gateway.mount(router);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(a.host()).setPort(a.port())
                .setTcpNoDelay(true));
        try {
            server.requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            String why = "edge site '" + site + "': its gateway cannot listen on " + a.host() + ":" + a.port() + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            LOG.error(why);
            failures.put(site, why);
            gateway.close();
            return null;
        }
        Running r = new Running(new SiteGateway(site, a.host(), server.actualPort(), gateway), server);
        sites.put(site, r);
        LOG.infof("edge site '%s': gateway on http://%s:%d, forwarding to the cloud at %s", site, a.host(),
                server.actualPort(), gateway.cloud().map(c -> c.address().toString()).orElse("(none)"));
        return r;
    }

    private static void stop(Running r) {
        r.server().close();
        r.view().gateway().close();
    }

    /** The edge sites' gateways now, by site. */
    public Map<String, SiteGateway> sites() {
        Map<String, SiteGateway> out = new LinkedHashMap<>();
        new TreeSet<>(sites.keySet()).forEach(s -> out.put(s, sites.get(s).view()));
        return out;
    }

    /** Why a site's gateway could not start, if it could not. */
    public Optional<String> failure(String site) {
        return Optional.ofNullable(failures.get(site));
    }

    public Gateway cloud() {
        return cloud;
    }

    /** A model's traffic over every gateway, each request counted at the gateway it entered by. */
    @Override
    public TrafficSample sample(String model) {
        TrafficSample s = cloud.observer().sample(model);
        for (Running r : sites.values()) {
            s = s.plus(r.view().gateway().observer().sample(model));
        }
        return s;
    }

    @Override
    public synchronized void close() {
        sites.values().forEach(SiteGateways::stop);
        sites.clear();
    }
}
