package dev.stratus.security;

/** The {@code Authorization: Bearer TOKEN} scheme (RFC 6750), read the same way by the admin API and the gateway. */
public final class Bearer {
    public static final String SCHEME = "Bearer";
    /** The challenge sent with a 401. */
    public static final String CHALLENGE = SCHEME + " realm=\"stratus\"";

    private Bearer() {
    }

    /** The token of an {@code Authorization} header value, or null when it is absent or not a bearer token. */
    public static String token(String header) {
        if (header == null || header.length() <= SCHEME.length() + 1
                || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return null;
        }
        String token = header.substring(SCHEME.length() + 1).strip();
        return token.isEmpty() ? null : token;
    }
}
