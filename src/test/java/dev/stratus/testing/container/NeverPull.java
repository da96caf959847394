package dev.stratus.testing.container;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' pull policy for this project's tests (set for every image in testcontainers.properties): no
 * registry is reachable here, so an image that is not in the local engine fails the test, saying so, before any
 * pull is attempted.
 */
public final class NeverPull implements ImagePullPolicy {
    @Override
    public boolean shouldPull(DockerImageName image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec();
            return false;
        } catch (NotFoundException e) {
            throw new AssertionError("image " + image.asCanonicalNameString() + " is not in the local Docker engine "
                    + "and is never pulled: every image is built here (./stratus image build)");
        }
    }
}
