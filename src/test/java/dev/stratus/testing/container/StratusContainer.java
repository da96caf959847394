package dev.stratus.testing.container;

import com.github.dockerjava.api.DockerClient;
import dev.stratus.testing.OipClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;

/**
 * A container of the Stratus image as a user runs it: host networking (reached on 127.0.0.1 only, never through
 * the bridge), models mounted read-only, the application's arguments as the command. Its output is kept for
 * assertions and failure messages. Closing it removes it (the tests run without Ryuk).
 */
public final class StratusContainer extends GenericContainer<StratusContainer> {
    private final StringBuffer log = new StringBuffer();
    private final int port;

    /**
     * @param models mounted read-only at {@code /models} (the image's {@code STRATUS_MODELS_DIR})
     * @param port   the port the application is told to listen on (host networking: a free port of this machine)
     * @param args   the application's arguments: role first
     */
    public StratusContainer(ModelVolume models, int port, List<String> args) {
        super(StratusImage.name());
        this.port = port;
        withImagePullPolicy(new NeverPull());
        withNetworkMode("host");
        withLabel(StratusImage.TEST_LABEL, "true");
        withFileSystemBind(models.path().toString(), "/models", BindMode.READ_ONLY);
        withCommand(args.toArray(String[]::new));
        withLogConsumer(frame -> log.append(frame.getUtf8String()));
        withStartupTimeout(Duration.ofMinutes(2));
    }

    /** The hardened way to run it: read-only root file system, a tmpfs for java.io.tmpdir (noexec, as Docker makes it). */
    public StratusContainer readOnlyRoot() {
        withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,size=256m"));
        return withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true));
    }

    public OipClient client() {
        return new OipClient("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** What the container printed so far. */
    public String log() {
        return log.toString();
    }

    /** The end of the log, for failure messages. */
    public String tail() {
        String text = log();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** Polls {@code path} until it answers {@code status}; fails with the log when the container exits first. */
    public void awaitStatus(String path, int status, Duration timeout) throws Exception {
        OipClient client = client();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = 0;
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new AssertionError("container exited (" + exitCode() + ") before " + path + " answered "
                        + status + ":\n" + tail());
            }
            try {
                last = client.get(path).status();
                if (last == status) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + last + ", not " + status + ", after " + timeout + ":\n"
                + tail());
    }

    /** {@code docker stop}: SIGTERM, SIGKILL after {@code grace}; returns the exit code. */
    public long stopGracefully(Duration grace) {
        DockerClient docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(getContainerId()).withTimeout((int) grace.toSeconds()).exec();
        return exitCode();
    }

    /** The exit code of a container that has stopped. */
    public long exitCode() {
        return DockerClientFactory.instance().client().inspectContainerCmd(getContainerId()).exec().getState()
                .getExitCodeLong();
    }
}
