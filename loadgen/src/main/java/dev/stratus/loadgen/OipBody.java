package dev.stratus.loadgen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An Open Inference Protocol request body with every input as a binary tensor (Triton's binary data extension):
 * the JSON header, then each input's raw little-endian bytes in order; outputs are asked for in binary too.
 * Send with header {@value #HEADER_LENGTH}: {@link #headerLength()} and content type {@value #CONTENT_TYPE}.
 */
public record OipBody(byte[] bytes, int headerLength) {
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    public static final String CONTENT_TYPE = "application/octet-stream";

    public static OipBody encode(List<InputSpec> inputs, SplittableRandom rng) {
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        long dataBytes = 0;
        for (int i = 0; i < inputs.size(); i++) {
            InputSpec in = inputs.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(in.name()))
                    .append(",\"datatype\":\"").append(in.datatype().name()).append("\",\"shape\":[");
            for (int d = 0; d < in.shape().size(); d++) {
                json.append(d == 0 ? "" : ",").append(in.shape().get(d));
            }
            json.append("],\"parameters\":{\"binary_data_size\":").append(in.byteSize()).append("}}");
            dataBytes += in.byteSize();
        }
        json.append("],\"parameters\":{\"binary_data_output\":true}}");
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(header.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        for (InputSpec in : inputs) {
            if (in.file() != null) {
                if (in.datatype() == Datatype.BYTES) {
                    body.putInt(in.file().size()); // the binary extension's BYTES element: length, then content
                }
                in.file().putInto(body);
                continue;
            }
            for (long e = 0, n = in.elements(); e < n; e++) {
                if (in.value() != null) {
                    in.datatype().putConstant(body, in.value());
                } else {
                    in.datatype().putRandom(body, rng);
                }
            }
        }
        return new OipBody(body.array(), header.length);
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
