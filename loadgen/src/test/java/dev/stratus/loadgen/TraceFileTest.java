package dev.stratus.loadgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceFileTest {
    static final String HEADER = "HashOwner,HashApp,HashFunction,Trigger,1,2,3\n";

    @Test
    void sumsAllFunctionsPerMinute() throws IOException {
        TraceFile t = TraceFile.parse(new StringReader(HEADER + "o1,a1,f1,http,1,2,3\no1,a1,f2,timer,10,0,5\n\n"),
                "t.csv", null);
        assertArrayEquals(new long[] {11, 2, 8}, t.perMinute());
        assertEquals(3, t.minutes());
    }

    @Test
    void selectsOneFunctionByHash() throws IOException {
        TraceFile t = TraceFile.parse(new StringReader(HEADER + "o1,a1,f1,http,1,2,3\no1,a1,f2,timer,10,0,5\n"),
                "t.csv", "f2");
        assertArrayEquals(new long[] {10, 0, 5}, t.perMinute());
    }

    @Test
    void readsTheBundledSyntheticDayInAzureFormat() throws IOException {
        TraceFile t = TraceFile.load(Path.of("scenarios/azure-functions-sample.synthetic.csv"), null);
        assertEquals(1440, t.minutes());
        assertTrue(java.util.Arrays.stream(t.perMinute()).sum() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                | ''                                                  | empty trace file
            wrong first column        | 'Owner,HashApp,HashFunction,Trigger,1\\n'           | line 1: column 1 must be 'HashOwner'
            no minute columns         | 'HashOwner,HashApp,HashFunction,Trigger\\n'         | line 1: no minute columns
            minute columns misnumbered| 'HashOwner,HashApp,HashFunction,Trigger,1,3\\n'     | line 1: column 6 must be minute '2'
            short row                 | 'HEADERo,a,f,http,1,2\\n'                          | line 2: expected 7 columns (4 keys + 3 minutes), found 6
            not a number              | 'HEADERo,a,f,http,1,x,3\\n'                        | line 2, minute 2: 'x' is not a non-negative integer
            negative count            | 'HEADERo,a,f,http,1,2,3\\no,a,g,http,1,2,-3\\n'    | line 3, minute 3: '-3' is not a non-negative integer
            header only               | 'HEADER'                                           | no data rows after the header
            """)
    void malformedTracesAreRejectedWithLineAndColumn(String name, String content, String expected) {
        String csv = content.replace("HEADER", HEADER).replace("\\n", "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceFile.parse(new StringReader(csv), "t.csv", null), name);
        assertTrue(e.getMessage().startsWith("t.csv"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    @Test
    void unknownFunctionIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TraceFile.parse(new StringReader(HEADER + "o,a,f,http,1,2,3\n"), "t.csv", "nope"));
        assertTrue(e.getMessage().contains("no row with HashFunction 'nope'"), e.getMessage());
    }
}
