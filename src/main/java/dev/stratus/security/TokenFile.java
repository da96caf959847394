package dev.stratus.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The token file: one token per line as {@code ROLE TOKEN} ({@code admin}, {@code viewer} or
 * {@code infer:MODEL}), blank lines and {@code #} comments ignored. The same format serves a local install
 * (generated on first start, mode 0600) and a Kubernetes Secret mounted as a file.
 */
public final class TokenFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private TokenFile() {
    }

    /**
     * Where a local install keeps its tokens: {@code $XDG_CONFIG_HOME/stratus/tokens}, else
     * {@code ~/.config/stratus/tokens}.
     */
    public static Path defaultPath() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"),
                ".config");
        return config.resolve("stratus").resolve("tokens");
    }

    /** Parses the file format; errors name the origin and line. */
    public static AccessTokens parse(String text, String origin) {
        List<AccessTokens.Grant> grants = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(origin + " line " + (i + 1) + ": expected 'ROLE TOKEN' (role "
                        + "admin, viewer or infer:MODEL), got " + parts.length + " word(s)");
            }
            try {
                grants.add(new AccessTokens.Grant(parts[0], parts[1]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(origin + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return AccessTokens.of(grants);
    }

    /** The tokens of {@code file}, or none when it does not exist. */
    public static AccessTokens read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return AccessTokens.NONE;
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The first admin token written in {@code file}, in clear, for this machine's own clients. */
    public static Optional<String> adminToken(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()); // refuse a broken file here too
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> l.startsWith(AccessTokens.ADMIN + " ") || l.startsWith(AccessTokens.ADMIN + "\t"))
                .map(l -> l.substring(AccessTokens.ADMIN.length()).strip()).findFirst();
    }

    /**
     * Creates {@code file} with a new random admin token, readable by its owner only (its directory too when
     * created here), unless it exists. Two processes starting at once agree on one token: the file appears
     * whole, through a hard link that fails if another process linked first.
     *
     * @return the admin token the file holds after the call
     */
    public static String createIfMissing(Path file) throws IOException {
        Optional<String> existing = adminToken(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        String token = newToken();
        Path temp = Files.createTempFile(dir, ".tokens", ".part", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temp, "# Stratus access tokens: ROLE TOKEN per line (admin, viewer, infer:MODEL).\n"
                    + "# Generated on first start; see docs/security.md.\n" + AccessTokens.ADMIN + " " + token + "\n",
                    StandardCharsets.UTF_8);
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raced) {
            return adminToken(file).orElseThrow(() -> new IOException(file + " exists but holds no admin token"));
        } finally {
            Files.deleteIfExists(temp);
        }
        return token;
    }

    /** 32 random bytes, base64url: 43 characters that travel unescaped in a header. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether users other than the owner may read {@code file} (worth a warning; a Secret mount often is 0644). */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
