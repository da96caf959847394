package dev.stratus.dataplane.pipeline;

import dev.stratus.core.model.Tensor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a pipeline does with one request: its stages in DAG order, through the {@link StageCaller}, and the
 * processing between them on {@code work} (never on the gateway's event loop).
 */
public interface PipelineProgram {
    /**
     * @return the pipeline's output tensors; fails with a {@link dev.stratus.dataplane.protocol.ProtocolException}:
     *         400 for inputs the pipeline cannot take, or the status of the stage that failed
     */
    CompletableFuture<List<Tensor>> run(List<Tensor> inputs, StageCaller stages, Executor work);

    /** The inputs it takes, for the metadata endpoint. */
    List<TensorInfo> inputs();

    /** The outputs it answers with, for the metadata endpoint. */
    List<TensorInfo> outputs();
}
