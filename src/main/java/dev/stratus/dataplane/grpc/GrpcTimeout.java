package dev.stratus.dataplane.grpc;

import dev.stratus.dataplane.protocol.ProtocolException;

/**
 * The {@code grpc-timeout} request header (gRPC over HTTP/2: at most 8 digits and a unit, H M S m u n), which every
 * gRPC client sets from its call's deadline, as an absolute deadline on this process's nanosecond clock.
 */
public final class GrpcTimeout {
    private GrpcTimeout() {
    }

    /** {@code receivedAt} plus the timeout; Long.MAX_VALUE without one; 400 when malformed. */
    public static long deadline(String header, long receivedAt) {
        if (header == null || header.isEmpty()) {
            return Long.MAX_VALUE;
        }
        String digits = header.substring(0, header.length() - 1);
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(Character::isDigit)) {
            throw malformed(header);
        }
        long value = Long.parseLong(digits);
        long unit = switch (header.charAt(header.length() - 1)) {
            case 'H' -> 3_600_000_000_000L;
            case 'M' -> 60_000_000_000L;
            case 'S' -> 1_000_000_000L;
            case 'm' -> 1_000_000L;
            case 'u' -> 1_000L;
            case 'n' -> 1L;
            default -> throw malformed(header);
        };
        // 99999999 hours overflows a long of nanoseconds: that is no deadline at all.
        if (value > (Long.MAX_VALUE - Math.max(receivedAt, 0)) / unit) {
            return Long.MAX_VALUE;
        }
        return receivedAt + value * unit;
    }

    private static ProtocolException malformed(String header) {
        return ProtocolException.badRequest("grpc-timeout must be up to 8 digits and a unit (H, M, S, m, u, n), got '"
                + header + "'");
    }
}
