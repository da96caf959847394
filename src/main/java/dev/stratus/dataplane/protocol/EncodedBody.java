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

    public String contentType() {
        return headerLength.isPresent() ? BINARY_CONTENT_TYPE : JSON_CONTENT_TYPE;
    }

    public long length() {
        return json.length + binaryParts.stream().mapToLong(ByteBuffer::remaining).sum();
    }
}
