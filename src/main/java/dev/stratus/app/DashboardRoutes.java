package dev.stratus.app;

import dev.stratus.config.StratusConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The built-in SLO dashboard at {@code /dashboard} of the control service: one page, its script and its style, all
 * in the jar (no CDN), read once at start. The page itself is open; its data comes from the admin API, which the
 * page calls with the bearer token it was given.
 */
@ApplicationScoped
public class DashboardRoutes {
    static final String PATH = "/dashboard";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    @Inject
    StratusConfig config;

    void mount(@Observes Router router) {
        if (!"controller".equals(config.role())) {
            return;
        }
        FILES.forEach((file, type) -> {
            Buffer body = Buffer.buffer(read(file));
            var route = file.equals("index.html") ? router.getWithRegex(PATH + "/?") : router.get(PATH + "/" + file);
            route.handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end(body));
        });
    }

    private static byte[] read(String file) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
