package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A client-side inference request body with every input as a binary tensor (Triton's binary data extension):
 * the JSON header, then the raw little-endian bytes of each input in order. Outputs are asked for in binary too,
 * so that neither side spends time formatting numbers. Send with {@link #HEADER_LENGTH} set to
 * {@link #headerLength()}.
 */
public record OipBinaryRequest(byte[] body, int headerLength) {
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    public static final String CONTENT_TYPE = "application/octet-stream";

    public static OipBinaryRequest of(Collection<Tensor> inputs) {
        EncodedBody encoded = OipRequestEncoder.binary(new InferenceRequest(Optional.empty(), List.copyOf(inputs),
                List.of(), OptionalLong.empty(), true));
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(encoded.length())).put(encoded.json());
        encoded.binaryParts().forEach(body::put);
        return new OipBinaryRequest(body.array(), encoded.json().length);
    }
}
