package dev.stratus.dataplane.protocol;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;

/**
 * A response body ready to write: the JSON part, then (binary extension) the raw output bytes in order.
 * {@code headerLength} is the value of {@code Inference-Header-Content-Length} when there is a binary part.
 */
public record EncodedBody(byte[] json, List<ByteBuffer> binaryParts, OptionalInt headerLength) {
    public static final String JSON_CONTENT_TYPE = "application/json";
    public static final String BINARY_CONTENT_TYPE = "application/octet-stream";
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    /** The protocol extensions Stratus's servers (worker, gateway; REST and gRPC) list in their server metadata. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data", "model_configuration");

    public String contentType() {
        return headerLength.isPresent() ? BINARY_CONTENT_TYPE : JSON_CONTENT_TYPE;
    }

    public long length() {
        return json.length + binaryParts.stream().mapToLong(ByteBuffer::remaining).sum();
    }
}
