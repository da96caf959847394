package dev.stratus.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How this machine's own tools (the demo, the end-to-end benchmark, tests) reach the admin API of a
 * {@code stratus serve} they start: the same token file for both, and its admin token on every request.
 */
public record LocalAdminToken(Path file, String token) {

    /** The token of {@code file}, which is created with a new admin token when missing. */
    public static LocalAdminToken in(Path file) throws IOException {
        return new LocalAdminToken(file, TokenFile.createIfMissing(file));
    }

    /** The user's token file ({@link TokenFile#defaultPath()}), as {@code stratus serve} uses by default. */
    public static LocalAdminToken local() throws IOException {
        return in(TokenFile.defaultPath());
    }

    /** The {@code stratus serve} arguments that make it accept this token. */
    public List<String> serveArgs() {
        return List.of("--tokens", file.toAbsolutePath().toString());
    }

    /** The value of the {@code Authorization} header. */
    public String authorization() {
        return "Bearer " + token;
    }
}
