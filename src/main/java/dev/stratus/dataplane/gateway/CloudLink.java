package dev.stratus.dataplane.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * An edge site's link to the cloud gateway: where it is, the round trip a forwarded request pays (the larger of the
 * planned one and the one measured by probing the cloud's liveness endpoint, a moving average), and whether the
 * cloud answers. A failed forward marks the cloud unreachable at once, so that the site sheds what it cannot serve
 * immediately instead of waiting on connections; the probe, every {@link #PROBE_MILLIS}, marks it reachable again
 * when it answers.
 */
final class CloudLink implements AutoCloseable {
    static final long PROBE_MILLIS = 500;
    /** Weight of the newest probe in the measured round trip. */
    private static final double ALPHA = 0.3;

    private final Vertx vertx;
    private final HttpClient client;
    private final URI cloud;
    private final long timer;
    private volatile double plannedRttMs;
    private volatile double measuredRttMs = Double.NaN;
    private volatile boolean reachable = true;
    private volatile String lastError = "";

    CloudLink(Vertx vertx, HttpClient client, URI cloud) {
        this.vertx = vertx;
        this.client = client;
        this.cloud = cloud;
        probe();
        this.timer = vertx.setPeriodic(PROBE_MILLIS, id -> probe());
    }

    URI address() {
        return cloud;
    }

    String host() {
        return cloud.getHost();
    }

    int port() {
        return cloud.getPort() > 0 ? cloud.getPort() : 80;
    }

    /** The round trip charged against a forwarded request's deadline, in milliseconds. */
    double rttMs() {
        double measured = measuredRttMs;
        return Double.isNaN(measured) ? plannedRttMs : Math.max(plannedRttMs, measured);
    }

    double measuredRttMs() {
        return measuredRttMs;
    }

    void plannedRttMs(double ms) {
        plannedRttMs = Math.max(0, ms);
    }

    boolean reachable() {
        return reachable;
    }

    /** Why the cloud was last found unreachable. */
    String lastError() {
        return lastError;
    }

    /** A forward found the cloud gone (connection refused or lost). */
    void failed(Throwable cause) {
        reachable = false;
        lastError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private void probe() {
        long start = System.nanoTime();
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host()).setPort(port())
                        .setURI("/v2/health/live").setTimeout(1000))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        double ms = (System.nanoTime() - start) / 1e6;
                        double m = measuredRttMs;
                        measuredRttMs = Double.isNaN(m) ? ms : ALPHA * ms + (1 - ALPHA) * m;
                        reachable = true;
                    } else {
                        failed(ar.failed() ? ar.cause() : new IllegalStateException("liveness answered "
                                + ar.result()));
                    }
                });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
