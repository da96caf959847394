package dev.stratus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.testing.CliRun;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An edge site's gateway's bad options: one clear line and exit status 1, before anything starts. */
class GatewayCommandTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--cloud-url http://cloud:80                      | --cloud-url applies to an edge site's gateway",
            "--cloud-rtt-ms 5                                 | --cloud-rtt-ms applies to an edge site's gateway",
            "--site cloud                                     | --site must name an edge site",
            "--site factory-a --cloud-url https://cloud       | --cloud-url must be http://HOST[:PORT]",
            "--site factory-a --cloud-url http://cloud/v2     | --cloud-url must be http://HOST[:PORT]",
            "--site factory-a --cloud-url cloud:80            | --cloud-url must be http://HOST[:PORT]",
            "--site factory-a --cloud-rtt-ms -1               | --cloud-rtt-ms must be a finite number >= 0",
            "--site factory-a --cloud-rtt-ms NaN              | --cloud-rtt-ms must be a finite number >= 0"})
    void badSiteOptionsAreNamed(String options, String message) {
        String[] args = ("gateway --port 0 " + options.strip()).split(" +");
        CliRun run = CliRun.of(args);
        assertEquals(1, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(message), run.err());
    }
}
