package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The JSON, SVG and table outputs of a real (short) run, with ok, shed and error responses. */
class OutputsTest {
    static LoadResult result;

    @BeforeAll
    static void run() throws Exception {
        FakeOipServer.Rule rule = (model, i) -> i % 5 == 4 ? FakeOipServer.Reply.status(i % 2 == 0 ? 503 : 500)
                : FakeOipServer.Reply.delayed(200, model.equals("slow") ? 30 : 1);
        try (FakeOipServer server = new FakeOipServer(rule, false, Map.of())) {
            Scenario scenario = new Scenario("out & about <1>", 2.2, 9, server.uri(), new ArrivalSpec.Poisson(60), List.of(
                    new ModelSpec("fast", 2, null, 20, 0, LoadGeneratorTest.SMALL),
                    new ModelSpec("slow", 1, null, 10, 0, LoadGeneratorTest.SMALL)));
            result = new LoadGenerator(scenario, RunOptions.defaults()).run();
        }
    }

    @Test
    void jsonIsWellFormedAndRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loadgen-result.json");
        ResultJson.write(result, file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("out & about <1>", json.path("scenario").asText());
        assertEquals(2, json.path("models").size());
        JsonNode fast = json.path("models").get(0);
        assertEquals("fast", fast.path("model").asText());
        for (String field : List.of("sent", "ok", "shed", "deadline", "errors", "okWithinSlo", "attainment",
                "goodputPerSecond", "sloMs")) {
            assertTrue(fast.has(field), field);
        }
        assertTrue(fast.path("latency").path("p99Ms").isNumber());
        assertEquals(result.total().sent(), json.path("total").path("sent").asLong());
        assertEquals(3, json.path("totalSeries").path("seconds").size());
        assertTrue(json.path("series").get(1).path("seconds").get(0).has("p99Ms"));
        assertEquals(result.total().sent(), json.path("sendLag").path("count").asLong());
        assertEquals(result, ResultJson.read(file));
    }

    @Test
    void svgIsXmlWithAxesSeriesAndLegend(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loadgen-plot.svg");
        SvgPlot.write(result, file);
        Document doc = parse(Files.readString(file));
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        // p50 and p99 per model, plus offered, ok and goodput
        assertTrue(doc.getElementsByTagNameNS("*", "path").getLength() >= 7);
        List<String> texts = texts(doc);
        for (String expected : List.of("time since start (s)", "requests per second", "fast p99", "slow p50",
                "shed (429/503)", "deadline (504) + errors", "goodput (ok within SLO)")) {
            assertTrue(texts.stream().anyMatch(t -> t.contains(expected)), "no text '" + expected + "' in " + texts);
        }
        assertTrue(texts.stream().anyMatch(t -> t.contains("out & about <1>")));
        // shed and error bars
        boolean bars = false;
        NodeList rects = doc.getElementsByTagNameNS("*", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            bars |= ((Element) rects.item(i)).getAttribute("fill-opacity").equals("0.8");
        }
        assertTrue(bars, "shed/error bars drawn");
    }

    @Test
    void svgOfARunWithoutAnyOkResponseIsStillWellFormed() throws Exception {
        ModelStats none = new ModelStats("m", 50.0, 3, 0, 3, 0, 0, 0, 0, 0, 1, null, Map.of());
        List<SecondStats> seconds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seconds.add(new SecondStats(i, 1, 1, 0, 0, 1, 0, 0, null, null));
        }
        LoadResult empty = new LoadResult("none", "http://x", 1, 3, 3.1, "2026-01-01T00:00:00Z", List.of(none),
                none, List.of(new ModelSeries("m", seconds)), new ModelSeries("all", seconds), null);
        Document doc = parse(SvgPlot.render(empty));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertTrue(SummaryTable.format(empty).contains("-"));
    }

    @Test
    void summaryTableListsEveryModelAndTheTotal() {
        String table = SummaryTable.format(result);
        assertTrue(table.contains("p99 ms") && table.contains("SLO att.") && table.contains("goodput/s"), table);
        List<String> rows = table.lines().map(String::strip).toList();
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("fast ")), table);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("slow ")), table);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("all ")), table);
        assertTrue(table.contains("x HTTP 500"), table);
        assertTrue(table.contains("client send lag"), table);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagNameNS("*", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}
