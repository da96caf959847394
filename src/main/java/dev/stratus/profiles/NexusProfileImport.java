package dev.stratus.profiles;

import dev.stratus.core.model.profile.BatchMeasurement;
import dev.stratus.core.model.profile.ColdStart;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.model.profile.Provenance;
import dev.stratus.core.profiling.LatencyFitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts a latency table in the Nexus serving system's profile format (uwsampl/nexus,
 * {@code tests/data/model_db/profiles/<GPU>/<framework>:<model>:<version>.txt}) into a Stratus profile: a header
 * naming the model and the GPU, {@code batch,latency(us),std(us),memory(B)} rows of the forward pass, then the pre-
 * and post-processing mean and std.
 *
 * <p>The table has only the mean and std per batch. The percentiles are derived as for a normal shape (p50 = mean,
 * p95 = mean + 1.645 std, p99 = mean + 2.326 std), which the provenance note says. Nor does it have a cold start:
 * the caller supplies one and says where it comes from. Such a profile is a planner and simulator input, never a
 * measurement of Stratus.
 */
public final class NexusProfileImport {
    private NexusProfileImport() {
    }

    /**
     * @param text       the Nexus profile file's content
     * @param model      the Stratus model name to give it
     * @param hardwareId the hardware class it describes
     * @param maxBatch   the largest batch to keep
     * @param inputShape one item's input shape (batch axis 1), for the provenance
     * @param coldStart  the cold start to record (the format has none)
     * @param source     where the file comes from, for the provenance note
     * @param date       when it was converted (ISO-8601 date-time; the source does not say when it was measured)
     */
    public static Profile convert(String text, String model, String hardwareId, int maxBatch,
            Map<String, List<Long>> inputShape, ColdStart coldStart, String source, String date) {
        String[] lines = text.strip().split("\\R");
        if (lines.length < 5 || !lines[3].trim().startsWith("batch,latency(us),std(us)")) {
            throw new ProfileException("not a Nexus profile (expected a model line, a GPU line, \"Forward latency\" "
                    + "and a batch,latency(us),std(us),memory(B) header)");
        }
        String gpu = lines[1].trim();
        List<BatchMeasurement> batches = new ArrayList<>();
        for (int i = 4; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.matches("\\d+,.*")) {
                break; // the pre-processing section follows the forward-latency rows
            }
            String[] f = line.split(",");
            if (f.length < 4) {
                throw new ProfileException("line " + (i + 1) + ": expected batch,latency(us),std(us),memory(B)");
            }
            int batch = Integer.parseInt(f[0].trim());
            if (batch > maxBatch) {
                break;
            }
            double mean = Double.parseDouble(f[1].trim()) / 1000;
            double std = Double.parseDouble(f[2].trim()) / 1000;
            long memory = Long.parseLong(f[3].trim());
            // The iteration count is not recorded in the source; 1 stands for "unknown".
            batches.add(new BatchMeasurement(batch, mean, std, mean, mean + 1.645 * std, mean + 2.326 * std,
                    batch * 1000 / mean, memory, 1, true));
        }
        if (batches.isEmpty()) {
            throw new ProfileException("no forward-latency rows at or below batch " + maxBatch);
        }
        Provenance provenance = new Provenance(hardwareId, "not recorded", 1, gpu, "cuda", 0, "not recorded (Nexus)",
                "stratus NexusProfileImport", inputShape, date, "converted on " + date + " from the Nexus serving "
                + "system's GPU profile " + source + ": forward-pass mean and std per batch; p50/p95/p99 derived for a "
                + "normal shape; CPU, iterations and runtime not recorded there; cold start not in the source, assumed "
                + Math.round(coldStart.totalMs()) + " ms. A planner and simulator input, not a measurement of "
                + "Stratus.");
        return new Profile(model, provenance, batches, LatencyFitter.fit(LatencyFitter.points(batches)), coldStart,
                coldStart);
    }
}
