package dev.stratus.backend.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a recorded worker may be adopted by a restarted control service: only when the recorded process
 * is still the same one (pid and start time), was started to follow this service's owner file, runs the worker
 * command with the recorded configuration, and its HTTP port answers as a Stratus worker with that configuration.
 * Anything less (a reused pid, another program on the port, a worker of another service) is not adopted.
 */
final class WorkerAdoption {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict on one recorded worker: adoptable (with whether it is ready), or why not. */
    record Verdict(boolean adoptable, boolean ready, String reason) {
        static Verdict no(String reason) {
            return new Verdict(false, false, reason);
        }
    }

    private final Path ownerFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    WorkerAdoption(Path ownerFile) {
        this.ownerFile = ownerFile.toAbsolutePath();
    }

    Verdict check(FleetRecord.Worker w) {
        Optional<ProcessHandle> handle = ProcessHandle.of(w.pid()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return Verdict.no("process " + w.pid() + " is gone");
        }
        if (!new OwnerRecord(w.pid(), w.processStartMillis()).alive()) {
            return Verdict.no("pid " + w.pid() + " now belongs to another process (started at another time)");
        }
        if (!ours(w.pid())) {
            return Verdict.no("process " + w.pid() + " does not follow " + ownerFile);
        }
        List<String> expected = WorkerProcess.command(LocalWorkerFleet.workerArgs(w.spec()), w.port());
        List<String> args = handle.get().info().arguments().map(List::of).orElse(List.of());
        if (Collections.indexOfSubList(args, expected) < 0) {
            return Verdict.no("process " + w.pid() + " runs '" + String.join(" ", args) + "', not the recorded worker");
        }
        try {
            JsonNode server = get(w.port(), "/v2").orElse(null);
            if (server == null || !"stratus".equals(server.path("name").asText())) {
                return Verdict.no("port " + w.port() + " does not answer as a Stratus worker");
            }
            for (String model : w.spec().models()) {
                JsonNode config = get(w.port(), "/v2/models/" + model + "/config").orElse(null);
                if (config == null || config.path("max_batch_size").asInt() != w.spec().maxBatch().get(model)) {
                    return Verdict.no("port " + w.port() + " does not serve " + model + " with max batch "
                            + w.spec().maxBatch().get(model));
                }
            }
            boolean ready = status(w.port(), "/v2/health/ready") == 200;
            return new Verdict(true, ready, ready ? "ready" : "still starting");
        } catch (IOException e) {
            return Verdict.no("port " + w.port() + " does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.no("interrupted");
        }
    }

    /** Whether a process was started to follow this service's owner file (so it is one of its workers). */
    boolean ours(long pid) {
        return ProcFs.environment(pid).map(env -> ownerFile.toString().equals(env.get(OwnerWatch.OWNER_FILE)))
                .orElse(false);
    }

    /** Live processes that follow this service's owner file: its workers, adopted or not. */
    List<ProcessHandle> following() {
        return ProcFs.withEnvironment(OwnerWatch.OWNER_FILE, ownerFile.toString());
    }

    private Optional<JsonNode> get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
    }

    private int status(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
