package dev.stratus.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Runs the application as the control service, with a profile store of its own and without the control loop
 * (no workers are planned or profiled behind the API under test).
 */
public class ControllerProfile implements QuarkusTestProfile {
    public static final String PROFILES = "target/test-profiles-store";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stratus.role", "controller", "stratus.profiles.dir", PROFILES,
                "stratus.control.enabled", "false");
    }
}
