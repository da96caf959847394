package dev.stratus.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Fetches the sample models before a @QuarkusTest starts the worker role. */
public class SampleModelsResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        SampleModels.ensureFetched();
        return Map.of();
    }

    @Override
    public void stop() {
    }
}
