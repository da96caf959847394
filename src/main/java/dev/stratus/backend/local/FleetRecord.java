package dev.stratus.backend.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.core.model.fleet.ReplicaState;
import dev.stratus.core.model.fleet.WorkerGroupSpec;
import java.util.List;
import java.util.Optional;

/**
 * The local fleet as it is written to the state store after every change: each worker's process (pid and start
 * time, which together identify it), port, configuration and state, so that a restarted control service can find
 * its workers, check that they are still the same processes, and adopt them.
 *
 * @param nextId the next replica number, so that ids stay unique across restarts
 */
public record FleetRecord(List<Worker> workers, int nextId) {
    public static final String KEY = "fleet";
    public static final FleetRecord EMPTY = new FleetRecord(List.of(), 0);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public FleetRecord {
        workers = List.copyOf(workers);
    }

    /**
     * One worker process.
     *
     * @param processStartMillis the process' start time as the OS reports it (pid reuse gives another)
     * @param startedAtMillis    when the fleet asked for it (its age in the fleet API)
     * @param readyAtMillis      when it became ready, 0 while starting
     * @param forServing         started or promoted to serve (else a standby)
     * @param niceness           the nice value it was started with (a standby's is raised on promotion)
     */
    public record Worker(String id, WorkerGroupSpec spec, long pid, long processStartMillis, int port,
            ReplicaState state, boolean forServing, long startedAtMillis, long readyAtMillis, int niceness,
            String log) {
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in a stored text; empty (with the reason) when the text is not one. */
    public static Optional<FleetRecord> parse(String json, java.util.function.Consumer<String> problem) {
        try {
            return Optional.of(JSON.readValue(json, FleetRecord.class));
        } catch (JsonProcessingException | RuntimeException e) {
            problem.accept("the stored fleet record is unreadable (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }
}
