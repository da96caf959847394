package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.testing.CliRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emulated link's bad options: one clear line and exit status 1 (the proxy itself: DelayingProxyTest). */
class LinkCommandTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "--listen | nowhere        | --listen: expected HOST:PORT",
            "--to     | 127.0.0.1:99999 | --to: expected HOST:PORT with a port 0..65535",
            "--rtt-ms | -5             | --rtt-ms must be 0..60000"})
    void badOptionsAreNamed(String option, String value, String message) {
        String[] args = {"link", "--listen", "127.0.0.1:0", "--to", "127.0.0.1:8080", "--rtt-ms", "20"};
        for (int i = 1; i < args.length; i += 2) {
            if (args[i].equals(option)) {
                args[i + 1] = value;
            }
        }
        CliRun run = CliRun.of(args);
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(message), run.err());
    }
}
