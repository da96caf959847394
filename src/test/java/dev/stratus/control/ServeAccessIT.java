package dev.stratus.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.backend.local.AppCommand;
import dev.stratus.testing.OipClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stratus serve} as a user starts it, for its access rules: on loopback without tokens it generates an
 * admin token (owner-only file, printed once) that {@code stratus token} prints again and the admin API accepts;
 * on any other address without tokens it refuses to start, saying why. The control loop is off: only access is
 * under test.
 */
class ServeAccessIT {
    @TempDir
    Path tmp;

    private Process serve(List<String> args, Path log) throws Exception {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(AppCommand.app(all)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("STRATUS_CONTROL_ENABLED", "false");
        return pb.start();
    }

    @Test
    void onLoopbackAnAdminTokenIsGeneratedAndTheLauncherPrintsIt() throws Exception {
        Path tokens = tmp.resolve("config/stratus/tokens");
        int port = AppCommand.freePort();
        Process serve = serve(List.of("--port", Integer.toString(port), "--tokens", tokens.toString()),
                tmp.resolve("serve.log"));
        try {
            AppCommand.awaitOk(java.net.URI.create("http://127.0.0.1:" + port + "/q/health/live"), serve,
                    Duration.ofMinutes(2));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)));
            Process print = new ProcessBuilder(AppCommand.app(List.of("token", "--tokens", tokens.toString())))
                    .redirectErrorStream(true).start();
            String token = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(print.waitFor(1, TimeUnit.MINUTES));
            assertEquals(0, print.exitValue(), token);
            assertEquals(43, token.length(), token);
            assertTrue(Files.readString(tmp.resolve("serve.log")).contains(token), "printed once at start");
            OipClient client = new OipClient("http://127.0.0.1:" + port);
            assertEquals(401, client.get("/admin/v1/profiles").status());
            assertEquals(200, client.as("Bearer " + token).get("/admin/v1/profiles").status());
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void onAnyOtherAddressWithoutTokensItRefusesToStart() throws Exception {
        Path tokens = tmp.resolve("none/tokens");
        Path log = tmp.resolve("refused.log");
        Process serve = serve(List.of("--port", Integer.toString(AppCommand.freePort()), "--host", "0.0.0.0",
                "--tokens", tokens.toString()), log);
        try {
            assertTrue(serve.waitFor(2, TimeUnit.MINUTES), "stops by itself");
            String output = Files.readString(log);
            assertTrue(serve.exitValue() != 0, output);
            assertTrue(output.contains("refusing to serve the admin API on 0.0.0.0 without an access token"), output);
            assertFalse(Files.exists(tokens), "no token generated for an exposed service");
        } finally {
            serve.destroyForcibly();
        }
    }
}
