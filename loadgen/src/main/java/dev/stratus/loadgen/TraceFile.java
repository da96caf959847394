package dev.stratus.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Invocations per minute read from a trace in the Azure Functions 2019 format
 * ({@code invocations_per_function_md.anon.dNN.csv}): header {@code HashOwner,HashApp,HashFunction,Trigger,1,...,N}
 * then one row per function with N per-minute counts. Rows are summed (the whole workload), or only the row(s) of
 * one {@code HashFunction} when a function is given. Streams the file, so the real 1440-minute day file works.
 */
public record TraceFile(String source, String function, long[] perMinute) {
    private static final List<String> KEY_COLUMNS = List.of("HashOwner", "HashApp", "HashFunction", "Trigger");

    public long minutes() {
        return perMinute.length;
    }

    public static TraceFile load(Path file, String function) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString(), function);
        }
    }

    /** @throws IllegalArgumentException naming the line and column of the first malformed value */
    public static TraceFile parse(Reader reader, String source, String function) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        String header = in.readLine();
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException(source + ": empty trace file (expected a header line "
                    + String.join(",", KEY_COLUMNS) + ",1,2,...)");
        }
        String[] names = header.strip().split(",", -1);
        for (int c = 0; c < KEY_COLUMNS.size(); c++) {
            if (c >= names.length || !names[c].strip().equals(KEY_COLUMNS.get(c))) {
                throw new IllegalArgumentException(source + " line 1: column " + (c + 1) + " must be '"
                        + KEY_COLUMNS.get(c) + "' (Azure Functions 2019 per-minute format)");
            }
        }
        int minutes = names.length - KEY_COLUMNS.size();
        if (minutes < 1) {
            throw new IllegalArgumentException(source + " line 1: no minute columns after Trigger");
        }
        for (int m = 1; m <= minutes; m++) {
            if (!names[KEY_COLUMNS.size() + m - 1].strip().equals(Integer.toString(m))) {
                throw new IllegalArgumentException(source + " line 1: column " + (KEY_COLUMNS.size() + m)
                        + " must be minute '" + m + "', found '" + names[KEY_COLUMNS.size() + m - 1] + "'");
            }
        }
        long[] sums = new long[minutes];
        int lineNo = 1;
        int matched = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.strip().split(",", -1);
            if (cells.length != names.length) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected " + names.length
                        + " columns (4 keys + " + minutes + " minutes), found " + cells.length);
            }
            if (function != null && !cells[2].strip().equals(function)) {
                continue;
            }
            matched++;
            for (int m = 0; m < minutes; m++) {
                String cell = cells[KEY_COLUMNS.size() + m].strip();
                long count;
                try {
                    count = Long.parseLong(cell);
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 0) {
                    throw new IllegalArgumentException(source + " line " + lineNo + ", minute " + (m + 1)
                            + ": '" + cell + "' is not a non-negative integer count");
                }
                sums[m] += count;
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException(source + ": " + (function == null
                    ? "no data rows after the header" : "no row with HashFunction '" + function + "'"));
        }
        return new TraceFile(source, function, sums);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceFile t && t.source.equals(source) && java.util.Objects.equals(t.function, function)
                && Arrays.equals(t.perMinute, perMinute);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.hashCode(perMinute);
    }

    @Override
    public String toString() {
        return "TraceFile[" + source + (function == null ? "" : ", function " + function) + ", " + perMinute.length
                + " minutes]";
    }
}
