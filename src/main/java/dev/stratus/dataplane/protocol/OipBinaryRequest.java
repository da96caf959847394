package dev.stratus.dataplane.protocol;

import dev.stratus.core.model.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

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
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        int i = 0;
        int dataBytes = 0;
        for (Tensor t : inputs) {
            json.append(i++ == 0 ? "" : ",").append("{\"name\":\"").append(t.name()).append("\",\"datatype\":\"")
                    .append(t.datatype()).append("\",\"shape\":").append(Arrays.toString(t.shape()))
                    .append(",\"parameters\":{\"binary_data_size\":").append(t.byteSize()).append("}}");
            dataBytes += t.byteSize();
        }
        json.append("],\"parameters\":{\"binary_data_output\":true}}");
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + dataBytes).put(header);
        for (Tensor t : inputs) {
            body.put(t.data());
        }
        return new OipBinaryRequest(body.array(), header.length);
    }
}
