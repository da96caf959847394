package dev.stratus.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Runs the application as the control service, with a profile store of its own and without the control loop
 * (no workers are planned or profiled behind the API under test), and with known admin and viewer tokens.
 */
public class ControllerProfile implements QuarkusTestProfile {
    public static final String PROFILES = "target/test-profiles-store";
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    public static final String VIEWER_TOKEN = "test-viewer-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stratus.role", "controller", "stratus.profiles.dir", PROFILES,
                "stratus.control.enabled", "false",
                // No token file: the tokens below are all there is (none is generated into the user's home).
                "stratus.security.tokens-file", "target/test-no-token-file",
                "stratus.security.admin-token", ADMIN_TOKEN, "stratus.security.viewer-token", VIEWER_TOKEN);
    }
}
