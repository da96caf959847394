package dev.stratus.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /admin/v1/profiles}. */
@Schema(description = "A profiling job: which model, which batch sizes, how many threads, which input shapes.")
public record ProfileJobRequest(
        @Schema(required = true, description = "Catalog name of the model", examples = "ocr-cls") String model,
        @Schema(description = "Batch sizes to measure; default 1,2,4,8,16 up to the model's largest") List<Integer> batches,
        @Schema(description = "ONNX Runtime intra-op threads; 0 or absent = one per core") Integer threads,
        @Schema(description = "Shape of one item per input (batch dim 1), replacing the catalog's sample shape")
        Map<String, List<Long>> inputShapes,
        @Schema(description = "Shortest measurement window in ms (default 1000)") Integer windowMs,
        @Schema(description = "Windows per batch size before giving up on stability (default 12)") Integer maxWindows) {
}
