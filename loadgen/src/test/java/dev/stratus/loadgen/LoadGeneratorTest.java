package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP runs against {@link FakeOipServer}. */
class LoadGeneratorTest {
    static final List<InputSpec> VAD = OipBodyTest.VAD;
    static final List<InputSpec> SMALL = List.of(new InputSpec("x", Datatype.FP32, List.of(1L, 3L, 4L, 4L), null));

    static ModelSpec model(String name, List<InputSpec> inputs, long deadlineMs) {
        return new ModelSpec(name, 1, null, 1000, deadlineMs, inputs);
    }

    @Test
    void everySentRequestIsAccountedForUnderMixedResponses() throws Exception {
        FakeOipServer.Rule rule = (model, i) -> switch (model) {
            case "ok" -> FakeOipServer.Reply.status(200);
            case "shed" -> FakeOipServer.Reply.status(i % 2 == 0 ? 429 : 503);
            case "late" -> FakeOipServer.Reply.status(504);
            case "broken" -> FakeOipServer.Reply.status(500);
            case "dropped" -> FakeOipServer.Reply.dropConnection();
            case "hung" -> FakeOipServer.Reply.delayed(200, 10_000);
            // one in three of each kind, in turn
            default -> switch ((int) (i % 3)) {
                case 0 -> FakeOipServer.Reply.status(200);
                case 1 -> FakeOipServer.Reply.status(429);
                default -> FakeOipServer.Reply.status(400);
            };
        };
        List<String> names = List.of("ok", "shed", "late", "broken", "dropped", "hung", "mixed");
        List<ModelSpec> models = new ArrayList<>();
        for (String n : names) {
            models.add(model(n, n.equals("ok") ? VAD : SMALL, n.equals("ok") ? 150 : 0));
        }
        Scenario scenario = new Scenario("mixed", 1.5, 7, null, new ArrivalSpec.Poisson(140), models);
        List<Progress> progress = new CopyOnWriteArrayList<>();
        try (FakeOipServer server = new FakeOipServer(rule, false, Map.of("ok", VAD, "shed", SMALL))) {
            LoadResult r = new LoadGenerator(scenario, RunOptions.defaults().withTarget(server.uri())
                    .withDrainTimeout(Duration.ofMillis(500))).run(progress::add);

            assertEquals(List.of(), server.violations());
            for (ModelStats m : r.models()) {
                assertTrue(m.sent() > 0, m.model() + " got no traffic");
                assertTrue(m.accounted(), m.model() + ": " + m);
            }
            assertTrue(r.total().accounted(), r.total().toString());
            assertEquals(r.models().stream().mapToLong(ModelStats::sent).sum(), r.total().sent());
            assertEquals(new Schedule(scenario).drain().size(), r.total().sent(), "sent exactly the schedule");

            ModelStats ok = r.model("ok");
            assertEquals(ok.sent(), ok.ok());
            assertEquals(ok.sent(), ok.okWithinSlo());
            assertEquals(1.0, ok.attainment());
            assertEquals(ok.sent(), ok.latency().count());
            assertEquals("150", server.deadlineHeader("ok"));
            assertEquals(null, server.deadlineHeader("shed"));
            assertEquals(r.model("shed").sent(), r.model("shed").shed());
            assertEquals(r.model("late").sent(), r.model("late").deadline());
            assertEquals(r.model("broken").sent(), r.model("broken").errors());
            assertTrue(r.model("broken").errorSamples().keySet().stream().anyMatch(k -> k.startsWith("HTTP 500")));
            assertEquals(r.model("dropped").sent(), r.model("dropped").errors());
            ModelStats hung = r.model("hung");
            assertEquals(hung.sent(), hung.errors());
            assertTrue(hung.errorSamples().keySet().stream().anyMatch(k -> k.contains("drain timeout")));
            ModelStats mixed = r.model("mixed");
            assertEquals(mixed.sent(), mixed.ok() + mixed.shed() + mixed.errors());
            assertEquals((mixed.sent() + 2) / 3, mixed.ok());
            assertEquals(0, mixed.deadline());
            assertEquals(0.0, r.model("shed").attainment());

            // The series account for the same requests.
            for (ModelSeries s : r.series()) {
                ModelStats m = r.model(s.model());
                assertEquals(m.sent(), s.seconds().stream().mapToLong(SecondStats::offered).sum(), s.model());
                assertEquals(m.sent(), s.seconds().stream().mapToLong(SecondStats::completed).sum(), s.model());
                assertEquals(m.shed(), s.seconds().stream().mapToLong(SecondStats::shed).sum(), s.model());
            }
            assertEquals(r.total().sent(), r.totalSeries().seconds().stream().mapToLong(SecondStats::offered).sum());
            assertTrue(!progress.isEmpty(), "progress reported");
            assertTrue(progress.getLast().sent() <= r.total().sent());
        }
    }

    @Test
    void latencyIsMeasuredFromTheIntendedSendTimeSoASlowServersBacklogCounts() throws Exception {
        // A server that serves one request at a time in 100 ms, offered 20 requests/s for 1 s (nearly periodic):
        // it needs about 2 s for 1 s of work, so later requests wait behind earlier ones. A client measuring from
        // when a request actually got through (or one that waited for each answer before sending the next)
        // would see about 100 ms; an open-loop client measuring from the schedule sees the queue.
        long serviceMs = 100;
        try (FakeOipServer server = new FakeOipServer((m, i) -> FakeOipServer.Reply.delayed(200, serviceMs), true,
                Map.of())) {
            Scenario scenario = new Scenario("slow", 1.0, 3, server.uri(), new ArrivalSpec.Gamma(20, 0.01),
                    List.of(new ModelSpec("slow", 1, null, 150, 0, SMALL)));
            LoadResult r = new LoadGenerator(scenario, RunOptions.defaults()).run();
            ModelStats s = r.model("slow");
            assertEquals(s.sent(), s.ok());
            long n = s.sent();
            assertTrue(n >= 18, "sent " + n);
            // Serial service: the last response cannot come before n * 100 ms, yet it was due before 1 s.
            double lowerBoundMs = n * serviceMs - 1000;
            assertTrue(s.latency().maxMs() >= lowerBoundMs, "max " + s.latency().maxMs() + " < " + lowerBoundMs);
            // The k-th request (due at about k * 50 ms) completes no earlier than k * 100 ms: the median waits
            // about 500 ms, five service times.
            assertTrue(s.latency().p50Ms() >= 3 * serviceMs, "p50 " + s.latency().p50Ms());
            assertTrue(s.attainment() < 0.5, "the backlog breaks the 150 ms SLO: " + s.attainment());
        }
    }

    @Test
    void requestsCarryTheScenarioInputsWithConstants() throws Exception {
        try (FakeOipServer server = new FakeOipServer((m, i) -> FakeOipServer.Reply.status(200), false,
                Map.of("vad", VAD))) {
            Scenario scenario = new Scenario("vad", 0.5, 1, server.uri(), new ArrivalSpec.Poisson(40),
                    List.of(model("vad", VAD, 0)));
            LoadResult r = new LoadGenerator(scenario, RunOptions.defaults()).run();
            assertEquals(List.of(), server.violations());
            assertEquals(r.total().sent(), server.received("vad"));
            byte[] body = server.lastBody("vad");
            long sr = ByteBuffer.wrap(body, body.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(16000, sr);
        }
    }

    @Test
    void aFileIsSentAsOneBytesElementToAPipelineLikeAModel(@TempDir Path dir) throws Exception {
        // Any bytes: the generator sends a file as it is (an image, an audio clip) and knows nothing of its format.
        byte[] page = new byte[3000];
        new java.util.Random(5).nextBytes(page);
        Files.write(dir.resolve("page.png"), page);
        String yaml = """
                name: files
                durationSeconds: 0.5
                arrival: { process: poisson, rate: 40 }
                models:
                  - name: ocr
                    sloMs: 1000
                    inputs: [{ name: image, datatype: BYTES, shape: [1], file: page.png }]
                """;
        try (FakeOipServer server = new FakeOipServer((m, i) -> FakeOipServer.Reply.status(200), false, Map.of())) {
            Scenario scenario = ScenarioLoader.parse(yaml, Path.of("scenarios"), dir).withTarget(server.uri());
            LoadResult r = new LoadGenerator(scenario, RunOptions.defaults()).run();
            assertEquals(List.of(), server.violations());
            assertTrue(r.total().sent() > 0);
            assertEquals(r.total().sent(), server.received("ocr"));
            byte[] body = server.lastBody("ocr");
            ByteBuffer element = ByteBuffer.wrap(body, body.length - page.length - 4, page.length + 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(page.length, element.getInt());
            byte[] sent = new byte[page.length];
            element.get(sent);
            assertArrayEquals(page, sent);
        }
    }

    @Test
    void stopEndsTheRunEarlyAndStillAccountsForEverything() throws Exception {
        try (FakeOipServer server = new FakeOipServer((m, i) -> FakeOipServer.Reply.delayed(200, 20), false,
                Map.of())) {
            Scenario scenario = new Scenario("long", 600, 1, server.uri(), new ArrivalSpec.Poisson(50),
                    List.of(model("m", SMALL, 0)));
            LoadGenerator generator = new LoadGenerator(scenario, RunOptions.defaults());
            LoadResult r = generator.run(p -> generator.stop());
            assertTrue(r.total().sent() > 0 && r.total().sent() < 600 * 50);
            assertTrue(r.total().accounted());
        }
    }
}
