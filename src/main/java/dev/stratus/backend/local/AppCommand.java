package dev.stratus.backend.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How this application starts more of itself (workers, the control service, the load generator's JVM): the same
 * java binary with the flags the JDK needs, a free loopback port, and waiting for an HTTP endpoint to answer 200.
 * Every child is started through {@link #start}, which ties its life to this process: it is stopped by this
 * JVM's shutdown hook ({@link ChildProcesses}) and stops itself when this process is gone ({@link OwnerWatch}).
 */
public final class AppCommand {
    private AppCommand() {
    }

    /** The running java binary and the JVM flags this JDK needs for Netty, Quarkus and ONNX Runtime. */
    public static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // Netty still uses it; silences the warning
            command.add("--add-opens=java.base/java.lang=ALL-UNNAMED"); // Quarkus' thread pool resets thread locals
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // ONNX Runtime's native library
        }
        return command;
    }

    /** {@code java [flags] -jar quarkus-run.jar ARGS}. */
    public static List<String> app(List<String> args) {
        List<String> command = java();
        command.add("-jar");
        command.add(AppLocation.runJar().toString());
        command.addAll(args);
        return command;
    }

    /**
     * Starts a child that ends with this process: it learns its parent through the environment (and stops when the
     * parent dies, even by SIGKILL), and this JVM's shutdown hook stops it if it still runs then.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        Map<String, String> env = builder.environment();
        // An owner record meant for this process is not its children's.
        env.remove(OwnerWatch.OWNER_FILE);
        env.remove(OwnerWatch.ORPHAN_GRACE_MS);
        return startOwned(builder);
    }

    /**
     * Starts a child that follows an owner record file instead of only its parent: a control service that
     * restarts rewrites the file and so adopts it; orphaned, it waits {@code orphanGraceMillis} for that.
     */
    public static Process start(ProcessBuilder builder, Path ownerFile, long orphanGraceMillis) throws IOException {
        builder.environment().put(OwnerWatch.OWNER_FILE, ownerFile.toAbsolutePath().toString());
        builder.environment().put(OwnerWatch.ORPHAN_GRACE_MS, Long.toString(orphanGraceMillis));
        return startOwned(builder);
    }

    private static Process startOwned(ProcessBuilder builder) throws IOException {
        builder.environment().put(OwnerWatch.PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        Process process = builder.start();
        ChildProcesses.track(process);
        return process;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Polls {@code url} until it answers 200. Fails with an IOException saying why: the process exited (with its
     * status), or the timeout passed.
     */
    public static void awaitOk(URI url, Process process, Duration timeout) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("exited with status " + process.exitValue());
                }
                try {
                    if (http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("no 200 from " + url + " after " + timeout);
    }
}
