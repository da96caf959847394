package dev.stratus.dataplane.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * The one error model ({@link dev.stratus.dataplane.protocol.ProtocolException}, whose status is the HTTP one) as gRPC
 * status codes, so that a request refused on HTTP with a status is refused on gRPC with the matching code: the same
 * table as Triton's and KServe's servers.
 */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    public static GrpcStatus status(int httpStatus) {
        return switch (httpStatus) {
            case 200 -> GrpcStatus.OK;
            case 400 -> GrpcStatus.INVALID_ARGUMENT;
            case 401 -> GrpcStatus.UNAUTHENTICATED;
            case 403 -> GrpcStatus.PERMISSION_DENIED;
            case 404 -> GrpcStatus.NOT_FOUND;
            case 405, 501 -> GrpcStatus.UNIMPLEMENTED;
            // A message over the size limit, like a full queue or a shed request: a resource ran out.
            case 413, 429 -> GrpcStatus.RESOURCE_EXHAUSTED;
            case 502, 503 -> GrpcStatus.UNAVAILABLE;
            case 504 -> GrpcStatus.DEADLINE_EXCEEDED;
            default -> httpStatus >= 400 && httpStatus < 500 ? GrpcStatus.INVALID_ARGUMENT : GrpcStatus.INTERNAL;
        };
    }

    /**
     * A status message as the {@code grpc-message} header carries it: UTF-8, with every byte outside printable ASCII,
     * and '%' itself, percent-encoded (the gRPC over HTTP/2 specification), so that any error text travels intact.
     */
    public static String headerMessage(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b <= 0x7E && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
