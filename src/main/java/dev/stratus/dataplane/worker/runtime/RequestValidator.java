package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.InputSpec;
import dev.stratus.core.model.ModelSignature;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.model.Shapes;
import dev.stratus.core.model.Tensor;
import dev.stratus.core.model.TensorSignature;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.ProtocolException;
import dev.stratus.dataplane.protocol.RequestedOutput;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks a decoded request against its model (names, datatypes, ranks, fixed dims, batch sizes, outputs). */
final class RequestValidator {
    private final ModelSpec spec;
    private final ModelSignature signature;
    private final int maxBatchSize;

    RequestValidator(ModelSpec spec, ModelSignature signature, int maxBatchSize) {
        this.spec = spec;
        this.signature = signature;
        this.maxBatchSize = maxBatchSize;
    }

    ValidatedRequest validate(InferenceRequest request) {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor t : request.inputs()) {
            byName.put(t.name(), t);
        }
        Set<String> expected = new TreeSet<>();
        signature.inputs().forEach(s -> expected.add(s.name()));
        Set<String> extra = new TreeSet<>(byName.keySet());
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            throw ProtocolException.badRequest("model '" + spec.name() + "' has no input(s) " + extra
                    + "; its inputs are " + expected);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(byName.keySet());
        if (!missing.isEmpty()) {
            throw ProtocolException.badRequest("model '" + spec.name() + "' needs input(s) " + missing
                    + "; its inputs are " + expected);
        }

        int batchCount = -1;
        StringBuilder key = new StringBuilder();
        double costScale = 1.0;
        for (TensorSignature sig : signature.inputs()) {
            Tensor t = byName.get(sig.name());
            InputSpec in = spec.input(sig.name()).orElseThrow();
            checkTensor(t, sig);
            if (in.batched()) {
                long count = t.dim(in.batchAxis());
                if (count < 1) {
                    throw ProtocolException.badRequest("input '" + t.name() + "': batch dimension (axis "
                            + in.batchAxis() + ") must be at least 1, shape " + Shapes.format(t.shape()));
                }
                if (batchCount >= 0 && count != batchCount) {
                    throw ProtocolException.badRequest("inputs disagree on the batch size: '" + t.name() + "' has "
                            + count + " on axis " + in.batchAxis() + ", another input has " + batchCount);
                }
                if (batchCount < 0) {
                    costScale = (double) (Shapes.elementCount(t.shape()) / count)
                            / Shapes.elementCount(in.sampleShape());
                }
                batchCount = (int) count;
                key.append(t.name()).append(Shapes.format(Shapes.withDim(t.shape(), in.batchAxis(), -1))).append(';');
            } else {
                key.append(t.name()).append('=').append(Base64.getEncoder().encodeToString(toArray(t))).append(';');
            }
        }
        if (batchCount > maxBatchSize) {
            throw ProtocolException.badRequest("batch size " + batchCount + " exceeds the max batch size "
                    + maxBatchSize + " of model '" + spec.name() + "'");
        }

        List<String> outputs = new ArrayList<>();
        List<Boolean> binary = new ArrayList<>();
        if (request.outputs().isEmpty()) {
            signature.outputs().forEach(o -> {
                outputs.add(o.name());
                binary.add(request.binaryOutputs());
            });
        } else {
            Set<String> seen = new HashSet<>();
            for (RequestedOutput o : request.outputs()) {
                if (signature.output(o.name()).isEmpty()) {
                    throw ProtocolException.badRequest("model '" + spec.name() + "' has no output '" + o.name()
                            + "'; its outputs are " + signature.outputs().stream().map(TensorSignature::name).toList());
                }
                if (!seen.add(o.name())) {
                    throw ProtocolException.badRequest("output '" + o.name() + "' is requested more than once");
                }
                outputs.add(o.name());
                binary.add(o.binary().orElse(request.binaryOutputs()));
            }
        }
        return new ValidatedRequest(byName, Math.max(batchCount, 1), key.toString(), costScale, outputs, binary);
    }

    private static void checkTensor(Tensor t, TensorSignature sig) {
        if (t.datatype() != sig.datatype()) {
            throw ProtocolException.badRequest("input '" + t.name() + "': expected datatype " + sig.datatype()
                    + ", got " + t.datatype());
        }
        long[] want = sig.shape();
        long[] got = t.shape();
        boolean ok = want.length == got.length;
        for (int i = 0; ok && i < want.length; i++) {
            ok = want[i] < 0 || want[i] == got[i];
        }
        if (!ok) {
            throw ProtocolException.badRequest("input '" + t.name() + "': expected shape " + Shapes.format(want)
                    + " (-1 = any size), got " + Shapes.format(got));
        }
        for (long d : got) {
            if (d == 0) {
                throw ProtocolException.badRequest("input '" + t.name() + "': shape " + Shapes.format(got)
                        + " has an empty dimension");
            }
        }
    }

    private static byte[] toArray(Tensor t) {
        byte[] bytes = new byte[t.byteSize()];
        t.data().get(bytes);
        return bytes;
    }
}
