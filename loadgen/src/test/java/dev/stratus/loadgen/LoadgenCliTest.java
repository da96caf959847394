package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadgenCliTest {
    static final String SCENARIO = """
            name: cli
            durationSeconds: 1.5
            seed: 4
            arrival: { process: poisson, rate: 30 }
            models:
              - name: vad
                sloMs: 500
                deadlineMs: 100
                inputs:
                  - { name: input, datatype: FP32, shape: [1, 512] }
                  - { name: state, datatype: FP32, shape: [2, 1, 128] }
                  - { name: sr, datatype: INT64, shape: [], value: 16000 }
            """;

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadgenCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsAScenarioAndWritesTheSummaryJsonAndPlot(@TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), SCENARIO);
        try (FakeOipServer server = new FakeOipServer((m, i) -> FakeOipServer.Reply.status(200), false,
                Map.of("vad", OipBodyTest.VAD))) {
            Path out = dir.resolve("out");
            Run run = cli("--scenario", scenario.toString(), "--target", server.uri().toString(), "--out",
                    out.toString(), "--seed", "5", "--duration-s", "2.5", "--rate-scale", "2");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains("vad") && run.out().contains("p99 ms"), run.out());
            assertTrue(run.err().contains("[loadgen]") && run.err().contains("in-flight"), run.err());
            JsonNode json = new ObjectMapper().readTree(out.resolve("loadgen-result.json").toFile());
            assertEquals(5, json.path("seed").asLong());
            assertEquals(2.5, json.path("durationSeconds").asDouble());
            long sent = json.path("total").path("sent").asLong();
            assertEquals(150, sent, 60); // 60/s for 2.5 s
            assertEquals(sent, json.path("total").path("ok").asLong());
            assertEquals(sent, server.received("vad"));
            assertEquals("100", server.deadlineHeader("vad"));
            assertTrue(Files.readString(out.resolve("loadgen-plot.svg")).contains("</svg>"));
        }
    }

    @Test
    void badScenarioExitsTwoNamingTheField(@TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), SCENARIO.replace("rate: 30", "rate: -1"));
        Run run = cli("--scenario", scenario.toString(), "--target", "http://127.0.0.1:9");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("arrival.rate: must be > 0"), run.err());
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), SCENARIO);
        assertEquals(2, cli("--scenario", scenario.toString(), "--bogus").exit());
        assertEquals(2, cli().exit());
        Run scale = cli("--scenario", scenario.toString(), "--target", "http://127.0.0.1:9", "--rate-scale", "0");
        assertEquals(2, scale.exit());
        assertTrue(scale.err().contains("--rate-scale: must be > 0"), scale.err());
        Run noTarget = cli("--scenario", scenario.toString());
        assertEquals(2, noTarget.exit());
        assertTrue(noTarget.err().contains("--target"), noTarget.err());
        Run missing = cli("--scenario", dir.resolve("nope.yaml").toString(), "--target", "http://127.0.0.1:9");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("cannot read"), missing.err());
    }

    @Test
    void unreachableTargetExitsOne(@TempDir Path dir) throws Exception {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), SCENARIO);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        Run run = cli("--scenario", scenario.toString(), "--target", "http://127.0.0.1:" + port, "--out",
                dir.resolve("out").toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("unreachable"), run.err());
        assertTrue(Files.notExists(dir.resolve("out")));
    }
}
