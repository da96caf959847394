package dev.stratus.dataplane.http;

import dev.stratus.dataplane.protocol.EncodedBody;
import dev.stratus.dataplane.protocol.InferenceRequest;
import dev.stratus.dataplane.protocol.OipRequestDecoder;
import dev.stratus.dataplane.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * An inference request body as both the worker and the gateway's pipelines read it: the JSON header (all of the
 * body, or its first {@code Inference-Header-Content-Length} bytes), then the binary tensor data.
 */
public final class InferenceBody {
    private InferenceBody() {
    }

    /** The JSON header's length from the header's value (absent: the whole body). */
    public static int headerLength(String value, Buffer body) {
        if (value == null) {
            return body.length();
        }
        int length;
        try {
            length = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProtocolException.badRequest(EncodedBody.HEADER_LENGTH + " must be an integer, got '" + value + "'");
        }
        if (length <= 0 || length > body.length()) {
            throw ProtocolException.badRequest(EncodedBody.HEADER_LENGTH + " is " + length
                    + " but the body has " + body.length() + " bytes");
        }
        return length;
    }

    /**
     * Decodes the header and takes the binary tensors as views of the body's binary part: a view of the chunk it
     * arrived in when it lies in one, else one copy of the whole part (a body of several chunks, {@link RequestBody}),
     * which is then the only copy between the socket and the batch's native buffer.
     */
    public static InferenceRequest decode(OipRequestDecoder decoder, Buffer body, int headerLength) {
        ByteBuf buf = body.getByteBuf();
        byte[] header = new byte[headerLength];
        buf.getBytes(0, header);
        ByteBuffer binary = headerLength == body.length() ? ByteBuffer.allocate(0)
                : buf.nioBuffer(headerLength, body.length() - headerLength);
        return decoder.decode(header, 0, headerLength, binary);
    }
}
