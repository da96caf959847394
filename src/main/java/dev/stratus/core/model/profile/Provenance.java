package dev.stratus.core.model.profile;

import java.util.List;
import java.util.Map;

/**
 * Where and how a profile was measured, so that a reader can tell whether it applies: the hardware class id
 * (also the profile's file name), the CPU model and core count, the GPU name when one was used, the execution
 * provider, intra-op threads, ONNX Runtime and Stratus versions, the input shapes of one item (batch axis
 * included as 1), the date (ISO-8601) and a free-text note (for example which machine).
 */
public record Provenance(
        String hardwareId,
        String cpuModel,
        int cpuCores,
        String gpu,
        String executionProvider,
        int threads,
        String runtimeVersion,
        String toolVersion,
        Map<String, List<Long>> inputShapes,
        String date,
        String note) {

    public Provenance {
        inputShapes = Map.copyOf(inputShapes);
        if (hardwareId == null || hardwareId.isBlank()) {
            throw new IllegalArgumentException("hardware id must be set");
        }
    }

    /**
     * The same provenance recorded under another hardware class: a profiling Job measures on a pool's node and
     * stores the result under the class the pool declares.
     */
    public Provenance withHardwareId(String id) {
        return new Provenance(id, cpuModel, cpuCores, gpu, executionProvider, threads, runtimeVersion, toolVersion,
                inputShapes, date, note);
    }

    /** The same provenance with another free-text note. */
    public Provenance withNote(String text) {
        return new Provenance(hardwareId, cpuModel, cpuCores, gpu, executionProvider, threads, runtimeVersion,
                toolVersion, inputShapes, date, text);
    }
}
