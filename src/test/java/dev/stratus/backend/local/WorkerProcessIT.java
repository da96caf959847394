package dev.stratus.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Tensor;
import dev.stratus.dataplane.worker.runtime.SampleInputs;
import dev.stratus.testing.OipClient;
import dev.stratus.testing.QueuedRequests;
import dev.stratus.testing.SampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged application as real worker processes: lifecycle, SIGTERM drain, start-up refusal, CLI. */
class WorkerProcessIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void models() {
        SampleModels.ensureFetched();
    }

    @Test
    void sigtermDrainsQueuedAndRunningRequestsThenExitsZero() throws Exception {
        ModelSpec det = SampleModels.spec("ocr-det");
        List<Tensor> inputs = List.copyOf(SampleInputs.of(det, 1, 3).values());
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models", "ocr-det,ocr-cls", "--threads", "1",
                "--max-batch", "ocr-det=2", "--max-queue-delay-ms", "1"), 0, tmp.resolve("worker.log"))) {
            worker.awaitReady(Duration.ofMinutes(2));
            OipClient client = new OipClient("http://127.0.0.1:" + worker.port());
            // Twelve detection requests at 2 per batch of tens of ms: most are still queued at SIGTERM.
            List<CompletableFuture<OipClient.Response>> inFlight = QueuedRequests.send("http://127.0.0.1:"
                    + worker.port(), "ocr-det", inputs, 12);
            QueuedRequests.awaitAccepted(client, "ocr-det", inFlight.size());
            worker.process().destroy(); // SIGTERM
            for (CompletableFuture<OipClient.Response> f : inFlight) {
                OipClient.Response r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.status(), "a request accepted before SIGTERM must finish: " + r.text());
            }
            assertTrue(worker.process().waitFor(60, TimeUnit.SECONDS), "worker exits after draining");
            assertEquals(0, worker.process().exitValue(), worker.tail());
            assertTrue(Files.readString(worker.log()).contains("drain complete"), worker.tail());
        }
    }

    @Test
    void readinessWaitsForWarmUpAndDrainingRefusesNewWork() throws Exception {
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models", "ocr-cls,wakeword", "--threads", "1"), 0,
                tmp.resolve("worker.log"))) {
            worker.awaitReady(Duration.ofMinutes(2));
            OipClient client = new OipClient("http://127.0.0.1:" + worker.port());
            assertEquals(200, client.get("/v2/models/ocr-cls/ready").status());
            assertEquals(200, client.get("/v2/models/wakeword/ready").status());
            String log = Files.readString(worker.log());
            assertTrue(log.indexOf("model ocr-cls ready") > 0 && log.indexOf("model wakeword ready") > 0, log);
            assertEquals(0, worker.stop(Duration.ofSeconds(30)), worker.tail());
        }
    }

    @Test
    void largeJsonOutputsAreAnsweredInFull() throws Exception {
        ModelSpec rec = SampleModels.spec("ocr-rec");
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models", "ocr-rec", "--threads", "1",
                "--max-batch", "1"), 0, tmp.resolve("worker.log"))) {
            worker.awaitReady(Duration.ofMinutes(2));
            OipClient client = new OipClient("http://127.0.0.1:" + worker.port());
            // A [1, 40, 6625] float output is about 1 MB of JSON numbers: encoded off the event loop.
            OipClient.Response r = client.inferBinary("ocr-rec", List.copyOf(SampleInputs.of(rec, 1, 4).values()),
                    null);
            assertEquals(200, r.status(), r.text());
            com.fasterxml.jackson.databind.JsonNode output = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(r.body()).at("/outputs/0");
            assertEquals("[1,40,6625]", output.get("shape").toString());
            assertEquals(40 * 6625, output.get("data").size());
            assertEquals(200, client.get("/v2/health/ready").status());
        }
    }

    @Test
    void workerRefusesACatalogThatContradictsTheModel() throws Exception {
        Path catalog = SampleModels.contradictingCatalog(tmp);
        try (WorkerProcess worker = WorkerProcess.start(List.of("--models", "ocr-cls", "--catalog",
                catalog.toString()), 0, tmp.resolve("bad.log"))) {
            assertTrue(worker.process().waitFor(120, TimeUnit.SECONDS), "worker must stop on a bad catalog");
            assertEquals(1, worker.process().exitValue());
            String log = Files.readString(worker.log());
            assertTrue(log.contains("contradicts the model") && log.contains("[image]"), log);
        }
    }

    @Test
    void cliUsageErrorsExitWithTwo() throws Exception {
        assertEquals(2, cli("bogus").exitValue());
        assertEquals(2, cli("worker", "--no-such-flag").exitValue());
        Process help = cli("--help");
        assertEquals(0, help.exitValue());
        String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("worker") && out.contains("models") && out.contains("bench"), out);
    }

    private Process cli(String... args) throws Exception {
        List<String> command = AppCommand.app(List.of(args));
        Process p = AppCommand.start(new ProcessBuilder(command).redirectErrorStream(true));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }
}
