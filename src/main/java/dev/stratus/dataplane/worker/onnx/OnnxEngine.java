package dev.stratus.dataplane.worker.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.stratus.core.model.DataType;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.TensorSignature;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One ONNX Runtime session. OrtSession.run is thread-safe, so one engine serves all of a model's batches. */
final class OnnxEngine implements InferenceEngine {
    private final String modelName;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelSignature signature;
    private final boolean fromOptimizedCache;

    OnnxEngine(String modelName, OrtEnvironment env, OrtSession session, boolean fromOptimizedCache)
            throws OrtException {
        this.modelName = modelName;
        this.fromOptimizedCache = fromOptimizedCache;
        this.env = env;
        this.session = session;
        this.signature = new ModelSignature(describe("input", session.getInputInfo()),
                describe("output", session.getOutputInfo()));
    }

    @Override
    public boolean loadedFromOptimizedCache() {
        return fromOptimizedCache;
    }

    private static List<TensorSignature> describe(String kind, Map<String, NodeInfo> nodes) {
        List<TensorSignature> out = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new IllegalArgumentException(kind + " '" + node.getName() + "' is not a tensor ("
                        + node.getInfo().getClass().getSimpleName() + "); Stratus serves tensor inputs and outputs");
            }
            DataType type = OnnxTypes.toDataType(info.onnxType).orElseThrow(() -> new IllegalArgumentException(
                    kind + " '" + node.getName() + "' has element type " + info.onnxType + ", which Stratus does not "
                            + "serve"));
            out.add(new TensorSignature(node.getName(), type, info.getShape()));
        }
        return out;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs, Set<String> outputs) throws InferenceException {
        Map<String, OnnxTensor> onnxInputs = new HashMap<>();
        try {
            for (Tensor t : inputs.values()) {
                onnxInputs.put(t.name(), toOnnx(t));
            }
            try (OrtSession.Result result = outputs.isEmpty() ? session.run(onnxInputs)
                    : session.run(onnxInputs, outputs)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), fromOnnx(e.getKey(), (OnnxTensor) e.getValue()));
                }
                return out;
            }
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException("model '" + modelName + "' failed to run: " + e.getMessage(), e);
        } finally {
            onnxInputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOnnx(Tensor t) throws OrtException {
        OnnxJavaType javaType = OnnxTypes.toJavaType(t.datatype()).orElseThrow(
                () -> new IllegalArgumentException("datatype " + t.datatype() + " cannot be passed to ONNX Runtime"));
        ByteBuffer data = t.data();
        if (!data.isDirect()) {
            // ORT copies heap buffers anyway; one bulk copy into native memory avoids its per-type path.
            ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
            direct.put(data).flip();
            data = direct;
        }
        return OnnxTensor.createTensor(env, data.order(ByteOrder.nativeOrder()), t.shape(), javaType);
    }

    private Tensor fromOnnx(String name, OnnxTensor value) {
        TensorInfo info = value.getInfo();
        DataType type = OnnxTypes.toDataType(info.onnxType).orElseThrow();
        // A copy: the native value is released when the Result closes.
        ByteBuffer bytes = value.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(name, type, info.getShape(), bytes);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing session of '" + modelName + "'", e);
        }
    }
}
