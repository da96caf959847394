package dev.stratus.simulation.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureFunctionsTraceTest {
    private static final Path SAMPLE = Path.of("examples/simulate/azure-functions-sample.csv");
    private static final String HEADER = "HashOwner,HashApp,HashFunction,Trigger,"
            + IntStream.rangeClosed(1, 1440).mapToObj(Integer::toString).collect(Collectors.joining(","));

    @TempDir
    Path dir;

    private Path file(String... rows) throws IOException {
        Path f = dir.resolve("trace.csv");
        Files.writeString(f, HEADER + "\n" + String.join("\n", rows) + "\n");
        return f;
    }

    private static String row(String function, int everyMinute) {
        return "o,a," + function + ",http," + IntStream.range(0, 1440).mapToObj(i -> Integer.toString(everyMinute))
                .collect(Collectors.joining(","));
    }

    @Test
    void theSampleHasTheTracesLayout() {
        double[] top = AzureFunctionsTrace.perMinute(SAMPLE, AzureFunctionsTrace.TOP);
        double[] sum = AzureFunctionsTrace.perMinute(SAMPLE, AzureFunctionsTrace.SUM);
        double[] timer = AzureFunctionsTrace.perMinute(SAMPLE, "0b8e2f6c4a1d9e37");
        assertEquals(1440, top.length);
        assertTrue(Arrays.stream(sum).sum() > Arrays.stream(top).sum());
        assertEquals(400, timer[0], 80, "the timer function fires every 15 minutes");
        assertEquals(0, timer[1]);
    }

    @Test
    void picksAFunctionTheBusiestOrTheSum() throws IOException {
        Path f = file(row("small", 1), row("big", 5));
        assertEquals(5, AzureFunctionsTrace.perMinute(f, AzureFunctionsTrace.TOP)[100]);
        assertEquals(6, AzureFunctionsTrace.perMinute(f, AzureFunctionsTrace.SUM)[100]);
        double[] small = new double[1440];
        Arrays.fill(small, 1);
        assertArrayEquals(small, AzureFunctionsTrace.perMinute(f, "small"));
    }

    @Test
    void rejectsOtherFilesClearly() throws IOException {
        Path notTrace = dir.resolve("x.csv");
        Files.writeString(notTrace, "a,b,c\n1,2,3\n");
        assertTrue(assertThrows(ScenarioException.class, () -> AzureFunctionsTrace.perMinute(notTrace, "top"))
                .getMessage().contains("HashOwner,HashApp,HashFunction,Trigger"));
        Path f = file(row("f", 1));
        assertTrue(assertThrows(ScenarioException.class, () -> AzureFunctionsTrace.perMinute(f, "missing"))
                .getMessage().contains("no row with HashFunction missing"));
        Path bad = file("o,a,f,http,1,2");
        assertTrue(assertThrows(ScenarioException.class, () -> AzureFunctionsTrace.perMinute(bad, "f"))
                .getMessage().contains(":2: 6 columns"));
    }
}
