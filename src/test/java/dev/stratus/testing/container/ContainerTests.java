package dev.stratus.testing.container;

import dev.stratus.testing.SampleModels;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a container test class ({@code @ExtendWith(ContainerTests.class)}): before it, the engine, the image and the
 * sample models; after it, no image pulled and no test container left.
 */
public final class ContainerTests implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        StratusImage.require();
        SampleModels.ensureFetched();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        StratusImage.assertNoPullsNorContainersLeft();
    }
}
