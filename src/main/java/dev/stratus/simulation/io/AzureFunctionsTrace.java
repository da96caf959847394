package dev.stratus.simulation.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the Azure Functions 2019 per-minute invocation files ({@code invocations_per_function_md.anon.dNN.csv} of
 * Azure/AzurePublicDataset): a header {@code HashOwner,HashApp,HashFunction,Trigger,1,...,1440}, then one row per
 * function with its invocation count in each minute of the day. Picks one function's row, the busiest row, or the
 * sum of all rows.
 */
public final class AzureFunctionsTrace {
    /** Selects the row with the most invocations in the day. */
    public static final String TOP = "top";
    /** Sums every row (the whole region's load). */
    public static final String SUM = "sum";

    private AzureFunctionsTrace() {
    }

    /**
     * @param function a HashFunction value, {@link #TOP} or {@link #SUM}
     * @return invocations per minute
     */
    public static double[] perMinute(Path file, String function) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new ScenarioException(file + ": empty file");
            }
            String[] columns = header.split(",", -1);
            if (columns.length < 5 || !columns[0].equals("HashOwner") || !columns[1].equals("HashApp")
                    || !columns[2].equals("HashFunction") || !columns[3].equals("Trigger") || !columns[4].equals("1")) {
                throw new ScenarioException(file + ": not an Azure Functions 2019 invocations file (expected header "
                        + "HashOwner,HashApp,HashFunction,Trigger,1,...,1440)");
            }
            for (int c = 4; c < columns.length; c++) {
                if (!columns[c].equals(Integer.toString(c - 3))) {
                    throw new ScenarioException(file + ": column " + (c + 1) + " should be minute " + (c - 3)
                            + ", is '" + columns[c] + "'");
                }
            }
            int minutes = columns.length - 4;
            double[] sum = new double[minutes];
            double[] best = null;
            double bestTotal = -1;
            boolean found = false;
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.length) {
                    throw new ScenarioException(file + ":" + lineNo + ": " + cells.length + " columns, header has "
                            + columns.length);
                }
                boolean wanted = function.equals(SUM) || function.equals(TOP) || cells[2].equals(function);
                if (!wanted) {
                    continue;
                }
                double[] row = new double[minutes];
                double total = 0;
                for (int m = 0; m < minutes; m++) {
                    try {
                        row[m] = Double.parseDouble(cells[m + 4].isEmpty() ? "0" : cells[m + 4]);
                    } catch (NumberFormatException e) {
                        throw new ScenarioException(file + ":" + lineNo + ": minute " + (m + 1) + " is not a number: '"
                                + cells[m + 4] + "'");
                    }
                    if (row[m] < 0) {
                        throw new ScenarioException(file + ":" + lineNo + ": minute " + (m + 1) + " is negative");
                    }
                    total += row[m];
                }
                found = true;
                if (function.equals(SUM)) {
                    for (int m = 0; m < minutes; m++) {
                        sum[m] += row[m];
                    }
                } else if (function.equals(TOP)) {
                    if (total > bestTotal) {
                        bestTotal = total;
                        best = row;
                    }
                } else {
                    return row;
                }
            }
            if (!found) {
                throw new ScenarioException(file + ": no row" + (function.equals(SUM) || function.equals(TOP) ? "s"
                        : " with HashFunction " + function));
            }
            return function.equals(TOP) ? best : sum;
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
