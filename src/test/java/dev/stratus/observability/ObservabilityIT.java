package dev.stratus.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.backend.local.AppCommand;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.slo.SloRules;
import dev.stratus.core.slo.SloTarget;
import dev.stratus.dataplane.gateway.Gateway;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.security.LocalAdminToken;
import dev.stratus.testing.OipClient;
import dev.stratus.bench.OpenLoop;
import dev.stratus.testing.Prometheus;
import dev.stratus.testing.SampleModels;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * SLO observability end to end, on one running {@code stratus serve} (real gateway, workers and models): a real
 * Prometheus (Debian's package) scrapes it with the generated rules loaded, a load with a known share of bad requests
 * runs, and Prometheus' HTTP API must give back what the client measured, by SLI counter and by recording rule; every
 * query of the Grafana dashboard must return data; then the built-in dashboard, in a real headless Chromium, must
 * show what the admin API says, and keep updating. Every process started here is stopped here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Generous on purpose: the client times a request from when it left, the gateway from when it arrived, and on a
     * two-core machine loaded by other work the two were seen a second apart (4 of 600 requests at a load average of
     * 16), enough to straddle a 1 s SLO. Here the bad requests are the shed ones, bad on both sides by their status;
     * the latency side of the verdict is covered by SliVerdictTest and the promtool tests.
     */
    static final double SLO_MS = 5000;
    static final String MODEL = "vad";
    static Path dir;
    static Process prometheus;
    static Process serve;
    static int port;
    static int prometheusPort;
    static OipClient client;
    static LocalAdminToken admin;
    static OipClient prom;
    static long startedAtSeconds;

    @BeforeAll
    static void start() throws Exception {
        SampleModels.ensureFetched();
        dir = Files.createTempDirectory("observability-it-");
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("pool.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: AcceleratorPool
                metadata: {name: local-cpu}
                spec: {tier: edge, hardwareId: auto, costPerHour: 0.1, maxReplicas: 4, networkRttMs: 0.5,
                       memoryMb: 4096}
                """);
        Files.writeString(config.resolve("vad.yaml"), """
                apiVersion: stratus.dev/v1alpha1
                kind: InferenceModel
                metadata: {name: vad}
                spec:
                  slo: {latencyMs: %s, percentile: 99, targetAttainment: 0.99}
                  expectedRatePerSecond: 20
                  memoryMb: 300
                  scaling: {minReplicas: 1, maxReplicas: 2, warmPool: 1}
                """.formatted(SLO_MS));
        // The rules Prometheus evaluates are the generator's for this very configuration.
        Files.writeString(dir.resolve("rules.yaml"), RuleDocuments.rulesFile(SloRules.generate(SloTarget.of(
                ResourceReader.readDirectory(config).request().models()))));
        port = AppCommand.freePort();
        prometheusPort = AppCommand.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: [rules.yaml]
                scrape_configs:
                  - job_name: stratus
                    metrics_path: /q/metrics
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(port));
        Runtime.getRuntime().addShutdownHook(new Thread(ObservabilityIT::stopAll)); // even if the test JVM is killed
        startedAtSeconds = System.currentTimeMillis() / 1000;
        // Prometheus first: it sees the counters at 0 before anything happens, so that every event is an increase.
        prometheus = new ProcessBuilder(Prometheus.server().toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn").redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        prom = new OipClient("http://127.0.0.1:" + prometheusPort);
        // The test's own admin token (the admin API needs one): the client and the browser use it.
        admin = LocalAdminToken.in(dir.resolve("tokens"));
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--host",
                "127.0.0.1", "--config", config.toString(), "--period-ms", "1000", "--profiles",
                Path.of("profiles").toAbsolutePath().toString(), "--logs", dir.resolve("logs").toString()));
        args.addAll(admin.serveArgs());
        serve = new ProcessBuilder(AppCommand.app(args))
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
        client = new OipClient("http://127.0.0.1:" + port, admin.authorization());
        await("serve ready", Duration.ofMinutes(4), () -> client.get("/v2/health/ready").status() == 200);
        await("Prometheus scraping serve", Duration.ofMinutes(1), () -> query("up{job=\"stratus\"} == 1").size() == 1);
    }

    @AfterAll
    static void stopAll() {
        for (Process p : new Process[] {serve, prometheus}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ---- Prometheus ------------------------------------------------------------------------------------------------

    /**
     * What the client saw: SLI total (client errors other than 429 excluded) and good (200 within the SLO, timed
     * from when the request left: the gateway cannot see this client falling behind its schedule).
     */
    record Tally(long total, long good, long shed) {
        double attainment() {
            return (double) good / total;
        }
    }

    static Tally tally(List<OpenLoop.Result> results) {
        long total = results.stream().filter(r -> r.status() < 400 || r.status() == 429 || r.status() >= 500
                || r.status() == 0).count();
        long good = results.stream().filter(r -> r.status() == 200 && r.sentToAnswerMs() <= SLO_MS).count();
        long shed = results.stream().filter(r -> r.status() == 429).count();
        return new Tally(total, good, shed);
    }

    @Test
    @Order(1)
    void sliCountersAndRecordingRulesGiveWhatTheClientMeasured() throws Exception {
        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec(MODEL), 1, 3).values());
        Thread.sleep(2000); // a couple of scrapes of the counters at rest
        for (int i = 0; i < 20; i++) { // the client's own errors: not part of the SLI on either side
            assertEquals(400, client.inferJson(MODEL, "{\"inputs\": [{\"name\": \"x\"}]}").status());
        }
        List<OpenLoop.Result> results = new ArrayList<>();
        try (OpenLoop load = new OpenLoop(); OpenLoop impossible = new OpenLoop()) {
            // A fifth of the traffic asks for a deadline no replica can meet: the gateway sheds it (429, bad).
            CompletableFuture<List<OpenLoop.Result>> shed = CompletableFuture.supplyAsync(() -> {
                try {
                    return impossible.run(port, MODEL, inputs, List.of(new OpenLoop.Phase(5, 30)),
                            Map.of(Gateway.DEADLINE_HEADER, "0.001"));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            results.addAll(load.run(port, MODEL, inputs, List.of(new OpenLoop.Phase(20, 30))));
            results.addAll(shed.get(2, TimeUnit.MINUTES));
            assertEquals(load.sent() + impossible.sent(), results.size(), "every request answered");
        }
        Tally client = tally(results);
        assertTrue(client.shed() >= 140 && client.attainment() < 0.9 && client.attainment() > 0.7,
                "the load has the intended share of bad requests: " + client);

        String sli = "{model=\"" + MODEL + "\"}";
        await("Prometheus has scraped the last request", Duration.ofSeconds(30),
                () -> value("sum(stratus_gateway_sli_requests_total" + sli + ")") == client.total());
        double good = value("sum(stratus_gateway_sli_good_requests_total" + sli + ")");
        assertEquals(client.total(), value("sum(stratus_gateway_sli_requests_total" + sli + ")"), 0.0,
                "SLI total = every request the client sent, minus its own 400s");
        assertEquals(client.shed(), value("sum(stratus_gateway_requests_total{model=\"vad\",outcome=\"shed\"})"), 0.0);
        assertEquals(client.attainment(), good / client.total(), 0.005, "counter attainment vs client " + client);
        assertEquals(20, value("sum(stratus_gateway_requests_total{model=\"vad\",outcome=\"invalid\"})"), 0.0);
        for (String window : List.of("5m", "30m", "1h")) {
            String rule = "slo:sli_error:ratio_rate" + window + sli;
            await(rule + " caught up", Duration.ofSeconds(20),
                    () -> Math.abs(1 - value(rule) - client.attainment()) <= 0.005);
        }
        assertEquals(1 - client.attainment(), value("slo:sli_error:ratio_rate30d" + sli), 0.005);
        assertEquals(0.99, value("slo:objective:ratio" + sli), 1e-9);
        assertTrue(value("slo:period_error_budget_remaining:ratio" + sli) < 0,
                "a fifth of requests bad overspends a 1 % budget");
    }

    @Test
    @Order(2)
    void everyGrafanaQueryReturnsDataFromTheRealScrape() throws Exception {
        List<String> empty = new ArrayList<>();
        for (GrafanaDashboard.Query q : GrafanaDashboard.queries(GrafanaDashboard.read())) {
            // The dashboard's default: every model (the variable's "All" value).
            JsonNode result = rangeQuery(q.forModel(".+"));
            if (result.isEmpty()) {
                empty.add(q.where() + ": " + q.expr());
            }
        }
        assertEquals(List.of(), empty, "queries with no data over the test's run");
    }

    @Test
    @Order(3)
    void firingAlertsAreTheOnesTheLoadDeserves() throws Exception {
        // A fifth of requests bad is 20x the budget over every window so far: the fast-burn page fires.
        await("the page alert fires", Duration.ofSeconds(30), () -> prom.get("/api/v1/alerts").text()
                .contains("\"alertname\":\"" + SloRules.FAST_BURN_ALERT + "\""));
        String alerts = prom.get("/api/v1/alerts").text();
        assertFalse(alerts.contains(SloRules.PLAN_INFEASIBLE_ALERT), alerts);
    }

    // ---- the built-in dashboard ------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void theBuiltInDashboardShowsWhatTheAdminApiSaysAndKeepsUpdating() throws Exception {
        assertEquals(200, client.get("/dashboard").status());
        String page = client.get("/dashboard").text();
        assertFalse(page.matches("(?s).*(src|href)=\"(https?:)?//.*"), "everything from the jar, no CDN: " + page);
        assertEquals(200, client.get("/dashboard/dashboard.js").status());
        assertEquals(400, client.get("/admin/v1/slo?minutes=0").status());

        List<Tensor> inputs = List.copyOf(SampleInputs.of(SampleModels.spec(MODEL), 1, 3).values());
        Path artifacts = Files.createDirectories(Path.of("target", "observability-it"));
        WebDriver browser = chromium();
        try (OpenLoop load = new OpenLoop()) {
            CompletableFuture<List<OpenLoop.Result>> traffic = CompletableFuture.supplyAsync(() -> {
                try {
                    return load.run(port, MODEL, inputs, List.of(new OpenLoop.Phase(20, 25)));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The page keeps a token given in the fragment for the admin API's bearer auth, out of the address bar.
            browser.get("http://127.0.0.1:" + port + "/dashboard?refresh=1000#token=" + admin.token());
            await("the dashboard rendered", Duration.ofSeconds(30), () -> !browser.findElements(
                    By.cssSelector("#updated[data-at]")).isEmpty() && !browser.findElements(
                    By.cssSelector("article.model[data-model=vad] [data-field=total]")).isEmpty());
            assertEquals(admin.token(), ((JavascriptExecutor) browser).executeScript(
                    "return sessionStorage.getItem('stratus.adminToken')"));
            assertFalse(browser.getCurrentUrl().contains("token"), browser.getCurrentUrl());
            Thread.sleep(3000);
            matchesTheAdminApi(browser);
            Map<String, Object> first = shown(browser);
            Thread.sleep(4000);
            Map<String, Object> later = shown(browser);
            long firstAt = Long.parseLong((String) first.get("updatedAt"));
            long laterAt = Long.parseLong((String) later.get("updatedAt"));
            long firstTotal = Long.parseLong((String) first.get("total"));
            long laterTotal = Long.parseLong((String) later.get("total"));
            assertTrue(laterAt > firstAt && laterTotal > firstTotal, "live: updated " + firstAt + " -> " + laterAt
                    + ", requests " + firstTotal + " -> " + laterTotal);
            assertFalse(browser.findElements(By.cssSelector(
                    "article.model[data-model=vad] svg[data-chart=latency] polyline.p99")).isEmpty(), "p99 drawn");
            assertFalse(browser.findElements(By.cssSelector("article.model[data-model=vad] svg[data-chart=latency] "
                    + "line.slo-line, article.model[data-model=vad] svg[data-chart=latency] text.slo-note")).isEmpty(),
                    "the SLO, as a line or (far above the latencies) as a note");
            assertFalse(browser.findElements(By.cssSelector("#events tbody tr")).isEmpty(), "events listed");
            assertEquals("", browser.findElement(By.id("error")).getText());
            Files.write(artifacts.resolve("dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(
                    OutputType.BYTES));
            traffic.get(2, TimeUnit.MINUTES);
        } finally {
            browser.quit();
        }
    }

    /** The rendered numbers against the admin API read right after them (a couple of tries while both move). */
    static void matchesTheAdminApi(WebDriver browser) throws Exception {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Map<String, Object> shown = shown(browser);
                JsonNode slo = JSON.readTree(client.get("/admin/v1/slo").text()).path("models").get(0);
                JsonNode tuple = JSON.readTree(client.get("/admin/v1/plan").text()).path("plan").path("modelPlans")
                        .get(0).path("tuples").get(0);
                assertEquals(MODEL, slo.path("model").asText());
                assertEquals(String.format("%.0f", slo.path("latencyMs").asDouble()), shown.get("latencyMs"));
                assertEquals(String.format("%.1f %%", 100 * slo.path("objective").asDouble()), shown.get("objective"));
                assertEquals(slo.path("status").asText(), shown.get("status"));
                assertEquals(slo.path("attainment").asDouble(), percent((String) shown.get("attainment")), 0.005,
                        "attainment shown vs API");
                long total = Long.parseLong((String) shown.get("total"));
                assertTrue(total <= slo.path("total").asLong() && slo.path("total").asLong() - total <= 200,
                        "requests shown " + total + " vs API " + slo.path("total"));
                assertEquals(String.format("%.3f /h", slo.path("costPerHour").asDouble()), shown.get("costPerHour"));
                List<?> plan = (List<?>) shown.get("plan");
                assertEquals(List.of(MODEL, tuple.path("pool").asText(), tuple.path("batch").asText(),
                        tuple.path("replicas").asText()), List.of(plan.get(0), plan.get(1), plan.get(2), plan.get(4)));
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(1500);
            }
        }
        throw last;
    }

    /**
     * What the page shows for the model, read in one script run: the page replaces its tables on every refresh, so
     * an element found in one call may be gone by the next.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> shown(WebDriver browser) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const card = document.querySelector('article.model[data-model="vad"]');
                const out = {};
                card.querySelectorAll('[data-field]').forEach((el) => { out[el.dataset.field] = el.textContent.trim(); });
                out.plan = [...document.querySelectorAll('#plan tbody tr:first-child td')].map((td) => td.textContent);
                out.updatedAt = document.getElementById('updated').dataset.at;
                return out;
                """);
    }

    static double percent(String text) {
        return Double.parseDouble(text.replace("%", "").trim()) / 100;
    }

    /** Debian's chromium through its chromium-driver, headless, with no network of its own. */
    static WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(executable("chromedriver", "chromium-driver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(executable("chromium", "chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        "--window-size=1400,1100");
        return new ChromeDriver(service, options);
    }

    static File executable(String name, String debianPackage) {
        File f = new File("/usr/bin/" + name);
        if (!f.canExecute()) {
            throw new AssertionError("/usr/bin/" + name + " not found: install Debian's " + debianPackage
                    + " (.ci/run does)");
        }
        return f;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    static JsonNode query(String promql) throws Exception {
        JsonNode body = JSON.readTree(prom.get("/api/v1/query?query=" + URLEncoder.encode(promql,
                StandardCharsets.UTF_8)).text());
        assertEquals("success", body.path("status").asText(), promql + ": " + body);
        return body.path("data").path("result");
    }

    static JsonNode rangeQuery(String promql) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        JsonNode body = JSON.readTree(prom.get("/api/v1/query_range?query=" + URLEncoder.encode(promql,
                StandardCharsets.UTF_8) + "&start=" + startedAtSeconds + "&end=" + now + "&step=2").text());
        assertEquals("success", body.path("status").asText(), promql + ": " + body);
        return body.path("data").path("result");
    }

    /** The single value of an instant query, NaN when it has none. */
    static double value(String promql) throws Exception {
        JsonNode result = query(promql);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            assertTrue(serve == null || serve.isAlive(), "serve exited: " + tail("serve.log"));
            assertTrue(prometheus == null || prometheus.isAlive(), "prometheus exited: " + tail("prometheus.log"));
            try {
                if (check.ok()) {
                    return;
                }
            } catch (java.io.IOException e) {
                lastError = e; // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + (lastError == null ? "" : " (" + lastError + ")")
                + "\nserve: " + tail("serve.log") + "\nprometheus: " + tail("prometheus.log"));
    }

    static String tail(String log) {
        try {
            String text = Files.readString(dir.resolve(log));
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

}
