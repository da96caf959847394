package dev.stratus.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Admin API bodies are small documents: one above {@code stratus.security.max-admin-body-bytes} (1 MiB) is
 * refused with 413 before it is read (the server's own limit is sized for inference tensors), and one without
 * a declared length (chunked) with 411, since its size could only be known by reading it.
 */
public class AdminBodyLimit {
    private volatile long limit = -1;

    @ServerRequestFilter(preMatching = true)
    public Response limitBody(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith("/admin")) {
            return null;
        }
        String chunked = ctx.getHeaderString("Transfer-Encoding");
        int length = ctx.getLength();
        if (length < 0 && chunked != null && chunked.toLowerCase().contains("chunked")) {
            return AdminErrors.error(411, "admin API bodies must declare their size: send " + HttpHeaders.CONTENT_LENGTH);
        }
        String declared = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long size = length >= 0 ? length : declared == null ? 0 : parse(declared);
        if (size > limit()) {
            return AdminErrors.error(413, "request body of " + size + " bytes exceeds the admin API limit of "
                    + limit() + " bytes (stratus.security.max-admin-body-bytes)");
        }
        return null;
    }

    /** A Content-Length too large for an int: JAX-RS reports -1 for it, so read it here. */
    private static long parse(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Read on first use: filters are created before runtime configuration exists. */
    private long limit() {
        if (limit < 0) {
            limit = ConfigProvider.getConfig().getOptionalValue("stratus.security.max-admin-body-bytes", Long.class)
                    .orElse(1L << 20);
        }
        return limit;
    }
}
