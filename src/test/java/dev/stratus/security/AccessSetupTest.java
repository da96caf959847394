package dev.stratus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessSetupTest {
    static final String TOKEN = "given-admin-token-0123456789";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
    void onLoopbackWithoutTokensAnAdminTokenIsGenerated(String host) throws Exception {
        Path file = dir.resolve("tokens");
        AccessSetup.Result r = AccessSetup.prepare(file, Optional.empty(), Optional.empty(), host);
        String generated = r.generatedAdminToken().orElseThrow();
        assertEquals(Set.of("admin"), r.tokens().rolesOf(generated));
        assertEquals(generated, TokenFile.adminToken(file).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10"})
    void elsewhereWithoutTokensTheServiceRefusesToStart(String host) {
        Path file = dir.resolve("tokens");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AccessSetup.prepare(file, Optional.empty(), Optional.empty(), host));
        assertTrue(e.getMessage().startsWith("refusing to serve the admin API on " + host + " without an access "
                + "token"), e.getMessage());
        assertTrue(e.getMessage().contains("STRATUS_SECURITY_ADMIN_TOKEN"), e.getMessage());
        assertFalse(Files.exists(file), "nothing generated for an exposed service");
    }

    @Test
    void aTokenGivenDirectlyAllowsAnyAddress() throws Exception {
        AccessSetup.Result r = AccessSetup.prepare(dir.resolve("tokens"), Optional.of(TOKEN), Optional.empty(),
                "0.0.0.0");
        assertEquals(Set.of("admin"), r.tokens().rolesOf(TOKEN));
        assertTrue(r.generatedAdminToken().isEmpty());
        assertFalse(Files.exists(dir.resolve("tokens")));
    }

    @Test
    void aTokenFileAllowsAnyAddressAndAddsToDirectTokens() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "viewer viewer-token-0123456789\n");
        AccessSetup.Result r = AccessSetup.prepare(file, Optional.of(TOKEN), Optional.empty(), "0.0.0.0");
        assertEquals(Set.of("viewer"), r.tokens().rolesOf("viewer-token-0123456789"));
        assertEquals(Set.of("admin"), r.tokens().rolesOf(TOKEN));
    }

    @Test
    void aWeakDirectTokenIsRefusedNamingTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AccessSetup.prepare(dir.resolve("tokens"), Optional.empty(), Optional.of("short"), "::1"));
        assertTrue(e.getMessage().startsWith("stratus.security.viewer-token:"), e.getMessage());
    }
}
