package dev.stratus.dataplane.http;

import dev.stratus.dataplane.protocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * HTTP content codings of request and response bodies: {@code gzip} and {@code deflate}, as Triton's clients
 * send them. Decoding stops as soon as the decoded size passes the limit, so a small compressed body cannot
 * expand into gigabytes (a decompression bomb costs at most the limit in memory and time).
 */
public enum ContentCoding {
    IDENTITY("identity"),
    GZIP("gzip"),
    /** The zlib format (RFC 1950); a raw deflate stream (what some clients send under this name) is read too. */
    DEFLATE("deflate");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The coding a {@code Content-Encoding} header names; 415 for one this server cannot decode. */
    public static ContentCoding ofRequest(String header) {
        if (header == null || header.isBlank()) {
            return IDENTITY;
        }
        String name = header.strip().toLowerCase(Locale.ROOT);
        for (ContentCoding c : values()) {
            if (c.token.equals(name)) {
                return c;
            }
        }
        if (name.equals("x-gzip")) {
            return GZIP;
        }
        throw new ProtocolException(415, "Content-Encoding '" + header.strip() + "' is not supported; send the "
                + "body as is, or with Content-Encoding gzip or deflate (one coding)");
    }

    /**
     * The coding to answer with for an {@code Accept-Encoding} header: gzip when accepted (also through
     * {@code *}), else deflate, else none. A coding given {@code q=0} is refused, as RFC 9110 says.
     */
    public static Optional<ContentCoding> preferredForResponse(String acceptEncoding) {
        if (acceptEncoding == null) {
            return Optional.empty();
        }
        double gzip = -1;
        double deflate = -1;
        double any = -1;
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.split(";");
            String name = fields[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].strip();
                if (f.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(f.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (name) {
                case "gzip", "x-gzip" -> gzip = q;
                case "deflate" -> deflate = q;
                case "*" -> any = q;
                default -> { }
            }
        }
        if (gzip > 0 || (gzip < 0 && any > 0)) {
            return Optional.of(GZIP);
        }
        if (deflate > 0) {
            return Optional.of(DEFLATE);
        }
        return Optional.empty();
    }

    /**
     * The decoded bytes of {@code encoded}; 413 once they pass {@code limit} bytes, 400 when the data is not
     * valid in this coding.
     */
    public byte[] decode(InputStream encoded, long limit) {
        if (this == IDENTITY) {
            throw new IllegalStateException("identity needs no decoding");
        }
        try (InputStream in = decoder(encoded)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] chunk = new byte[16384];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + (long) n > limit) {
                    throw new ProtocolException(413, "request body decodes (" + token + ") to more than the limit of "
                            + limit + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw ProtocolException.badRequest("request body is not valid " + token + " data: " + e.getMessage());
        } catch (EOFException e) {
            throw ProtocolException.badRequest("request body is not valid " + token + " data: it ends early");
        } catch (IOException e) {
            throw ProtocolException.badRequest("request body could not be decoded (" + token + "): " + e.getMessage());
        }
    }

    private InputStream decoder(InputStream encoded) throws IOException {
        if (this == GZIP) {
            return new GZIPInputStream(encoded, 16384);
        }
        if (!encoded.markSupported()) {
            encoded = new BufferedInputStream(encoded);
        }
        encoded.mark(2);
        int b0 = encoded.read();
        int b1 = encoded.read();
        encoded.reset();
        // A zlib stream starts with a header whose first byte names deflate (low nibble 8) and whose first two
        // bytes are a multiple of 31; anything else is taken as raw deflate.
        boolean zlib = b0 >= 0 && b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
        return new InflaterInputStream(encoded, new Inflater(!zlib), 16384) {
            @Override
            public void close() throws IOException {
                super.close();
                inf.end(); // a given Inflater is not ended by the stream: free its native memory now
            }
        };
    }

    /**
     * The body made of {@code parts}, in order, in this coding; favours speed over size (it is on the request's
     * latency).
     */
    public byte[] encode(List<ByteBuffer> parts) {
        if (this == IDENTITY) {
            throw new IllegalStateException("identity needs no encoding");
        }
        long size = parts.stream().mapToLong(ByteBuffer::remaining).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(1 << 20, Math.max(64, size / 4)));
        byte[] chunk = new byte[16384];
        try (OutputStream z = encoder(out)) {
            for (ByteBuffer part : parts) {
                ByteBuffer b = part.duplicate();
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    z.write(chunk, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private OutputStream encoder(OutputStream out) throws IOException {
        if (this == GZIP) {
            return new GZIPOutputStream(out, 16384) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        }
        return new DeflaterOutputStream(out, new Deflater(Deflater.BEST_SPEED), 16384) {
            @Override
            public void close() throws IOException {
                super.close();
                def.end(); // a given Deflater is not ended by the stream: free its native memory now
            }
        };
    }
}
