package dev.stratus.loadgen;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and validates a scenario YAML file (format in loadgen/README.md). Every problem is reported as a
 * {@link ScenarioException} naming the field, so that a typo fails before any load is sent.
 */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Largest single request body we agree to build, so that a shape typo does not exhaust the heap. */
    private static final long MAX_BODY_BYTES = 256L << 20;

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) throws IOException {
        return load(file, null);
    }

    /**
     * @param inputDir the directory relative input {@code file} paths are resolved against; null: the scenario's
     *                 directory (a program that writes the inputs at run time, like the demo, points here)
     */
    public static Scenario load(Path file, Path inputDir) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException("(file)", "cannot read " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, inputDir == null ? dir : inputDir);
    }

    /** @param baseDir the directory relative trace and input file paths are resolved against */
    public static Scenario parse(String yaml, Path baseDir) throws IOException {
        return parse(yaml, baseDir, baseDir);
    }

    /**
     * @param baseDir  the directory relative trace file paths are resolved against
     * @param inputDir the directory relative input file paths are resolved against
     */
    public static Scenario parse(String yaml, Path baseDir, Path inputDir) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new ScenarioException("(yaml)", e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        }
        YamlFields top = new YamlFields(root, "");
        top.allowOnly(Set.of("name", "durationSeconds", "seed", "target", "arrival", "models"));
        String name = top.string("name");
        double duration = top.positive("durationSeconds");
        long seed = top.has("seed") ? top.integer("seed") : 1;
        URI target = top.has("target") ? target(top.string("target"), top.path("target")) : null;
        ArrivalSpec shared = top.has("arrival") ? arrival(top.object("arrival"), baseDir) : null;

        List<JsonNode> modelNodes = top.list("models");
        if (modelNodes.isEmpty()) {
            throw new ScenarioException("models", "must list at least one model");
        }
        List<ModelSpec> models = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean sharedUsed = false;
        for (int i = 0; i < modelNodes.size(); i++) {
            ModelSpec m = model(new YamlFields(modelNodes.get(i), "models[" + i + "]"), shared != null, baseDir,
                    inputDir);
            if (!names.add(m.name())) {
                throw new ScenarioException("models[" + i + "].name", "duplicate model '" + m.name() + "'");
            }
            sharedUsed |= m.arrival() == null;
            models.add(m);
        }
        if (shared != null && !sharedUsed) {
            throw new ScenarioException("arrival", "unused: every model has its own arrival");
        }
        return new Scenario(name, duration, seed, target, shared, models);
    }

    private static URI target(String text, String path) {
        try {
            URI uri = URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(path, "must be an http(s) base URL like http://127.0.0.1:8080, got '"
                    + text + "'");
        }
    }

    private static ModelSpec model(YamlFields f, boolean sharedArrival, Path baseDir, Path inputDir)
            throws IOException {
        f.allowOnly(Set.of("name", "weight", "arrival", "sloMs", "deadlineMs", "inputs"));
        String name = f.string("name");
        if (!name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new ScenarioException(f.path("name"), "must be a model name ([A-Za-z0-9_.-]), got '" + name + "'");
        }
        ArrivalSpec own = f.has("arrival") ? arrival(f.object("arrival"), baseDir) : null;
        if (own != null && f.has("weight")) {
            throw new ScenarioException(f.path("weight"),
                    "not allowed with " + f.path("arrival") + " (weight shares the top-level arrival)");
        }
        if (own == null && !sharedArrival) {
            throw new ScenarioException(f.path("arrival"), "required when the scenario has no top-level arrival");
        }
        double weight = f.has("weight") ? f.positive("weight") : 1.0;
        double slo = f.positive("sloMs");
        long deadline = 0;
        if (f.has("deadlineMs")) {
            deadline = f.integer("deadlineMs");
            if (deadline <= 0) {
                throw new ScenarioException(f.path("deadlineMs"), "must be > 0");
            }
        }
        List<JsonNode> inputNodes = f.list("inputs");
        if (inputNodes.isEmpty()) {
            throw new ScenarioException(f.path("inputs"), "must list at least one input tensor");
        }
        List<InputSpec> inputs = new ArrayList<>();
        Set<String> inputNames = new HashSet<>();
        long bodyBytes = 0;
        for (int i = 0; i < inputNodes.size(); i++) {
            InputSpec in = input(new YamlFields(inputNodes.get(i), f.path("inputs") + "[" + i + "]"), inputDir);
            if (!inputNames.add(in.name())) {
                throw new ScenarioException(f.path("inputs") + "[" + i + "].name", "duplicate input '" + in.name() + "'");
            }
            bodyBytes += in.byteSize();
            if (bodyBytes > MAX_BODY_BYTES) {
                throw new ScenarioException(f.path("inputs") + "[" + i + "].shape",
                        "request body would exceed " + (MAX_BODY_BYTES >> 20) + " MiB");
            }
            inputs.add(in);
        }
        return new ModelSpec(name, weight, own, slo, deadline, inputs);
    }

    private static InputSpec input(YamlFields f, Path inputDir) {
        f.allowOnly(Set.of("name", "datatype", "shape", "value", "file"));
        String name = f.string("name");
        String dt = f.string("datatype");
        Datatype datatype;
        try {
            datatype = Datatype.valueOf(dt.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path("datatype"), "unsupported '" + dt + "' (one of "
                    + String.join(", ", java.util.Arrays.stream(Datatype.values()).map(Enum::name).toList()) + ")");
        }
        List<Long> shape = new ArrayList<>();
        List<JsonNode> dims = f.list("shape");
        for (int i = 0; i < dims.size(); i++) {
            JsonNode d = dims.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new ScenarioException(f.path("shape") + "[" + i + "]",
                        "must be a non-negative integer dimension, got '" + d.asText() + "'");
            }
            shape.add(d.asLong());
        }
        Double value = f.has("value") ? f.number("value") : null;
        InputFile file = f.has("file") ? file(f, inputDir) : null;
        if (file != null && value != null) {
            throw new ScenarioException(f.path("value"), "not allowed with " + f.path("file"));
        }
        InputSpec in = new InputSpec(name, datatype, shape, value, file);
        if (datatype == Datatype.BYTES) {
            if (file == null) {
                throw new ScenarioException(f.path("file"), "required for a BYTES input (its one element)");
            }
            if (in.elements() != 1) {
                throw new ScenarioException(f.path("shape"), "a BYTES input from a file has one element ([1])");
            }
        } else if (file != null && file.size() != in.elements() * datatype.bytes()) {
            throw new ScenarioException(f.path("file"), file.path() + " has " + file.size() + " bytes; shape "
                    + shape + " of " + datatype + " needs " + in.elements() * datatype.bytes());
        }
        return in;
    }

    /** A file read once; relative paths from {@code inputDir}. */
    private static InputFile file(YamlFields f, Path inputDir) {
        Path path = inputDir.resolve(f.string("file"));
        try {
            if (Files.size(path) > MAX_BODY_BYTES) {
                throw new ScenarioException(f.path("file"), path + " exceeds " + (MAX_BODY_BYTES >> 20) + " MiB");
            }
            return new InputFile(path, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ScenarioException(f.path("file"), "cannot read " + path + ": " + e);
        }
    }

    private static ArrivalSpec arrival(YamlFields f, Path baseDir) throws IOException {
        String process = f.string("process");
        return switch (process) {
            case "poisson" -> {
                f.allowOnly(Set.of("process", "rate"));
                yield new ArrivalSpec.Poisson(f.positive("rate"));
            }
            case "gamma" -> {
                f.allowOnly(Set.of("process", "rate", "cv"));
                yield new ArrivalSpec.Gamma(f.positive("rate"), f.positive("cv"));
            }
            case "mmpp" -> {
                f.allowOnly(Set.of("process", "rates", "meanDwellSeconds"));
                List<Double> rates = f.numbers("rates", 2, false);
                if (rates.get(0) + rates.get(1) <= 0) {
                    throw new ScenarioException(f.path("rates"), "at least one state rate must be > 0");
                }
                yield new ArrivalSpec.Mmpp(rates, f.numbers("meanDwellSeconds", 2, true));
            }
            case "diurnal" -> {
                f.allowOnly(Set.of("process", "baseRate", "amplitude", "periodSeconds"));
                double amplitude = f.has("amplitude") ? f.nonNegative("amplitude") : 0.5;
                if (amplitude > 1) {
                    throw new ScenarioException(f.path("amplitude"), "must be <= 1 (the rate cannot go negative)");
                }
                yield new ArrivalSpec.Diurnal(f.positive("baseRate"), amplitude, f.positive("periodSeconds"));
            }
            case "step" -> step(f);
            case "trace" -> trace(f, baseDir);
            default -> throw new ScenarioException(f.path("process"),
                    "unknown process '" + process + "' (poisson, gamma, mmpp, diurnal, step, trace)");
        };
    }

    private static ArrivalSpec step(YamlFields f) {
        f.allowOnly(Set.of("process", "phases"));
        List<JsonNode> nodes = f.list("phases");
        if (nodes.isEmpty()) {
            throw new ScenarioException(f.path("phases"), "must list at least one phase");
        }
        List<ArrivalSpec.Phase> phases = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            YamlFields p = new YamlFields(nodes.get(i), f.path("phases") + "[" + i + "]");
            p.allowOnly(Set.of("atSeconds", "rate"));
            double at = p.nonNegative("atSeconds");
            if (i == 0 && at != 0) {
                throw new ScenarioException(p.path("atSeconds"), "the first phase must start at 0");
            }
            if (i > 0 && at <= phases.get(i - 1).atSeconds()) {
                throw new ScenarioException(p.path("atSeconds"), "must be after the previous phase's "
                        + phases.get(i - 1).atSeconds());
            }
            double rate = p.nonNegative("rate");
            total += rate;
            phases.add(new ArrivalSpec.Phase(at, rate));
        }
        if (total <= 0) {
            throw new ScenarioException(f.path("phases"), "at least one phase rate must be > 0");
        }
        return new ArrivalSpec.Step(phases);
    }

    private static ArrivalSpec trace(YamlFields f, Path baseDir) throws IOException {
        f.allowOnly(Set.of("process", "file", "meanRate", "secondsPerMinute", "startMinute", "function"));
        Path file = baseDir.resolve(f.string("file"));
        double meanRate = f.positive("meanRate");
        double secondsPerMinute = f.has("secondsPerMinute") ? f.positive("secondsPerMinute") : 60;
        long start = f.has("startMinute") ? f.integer("startMinute") : 0;
        TraceFile trace;
        try {
            trace = TraceFile.load(file, f.optionalString("function"));
        } catch (IOException e) {
            throw new ScenarioException(f.path("file"), "cannot read " + file + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(f.path("file"), e.getMessage());
        }
        if (start < 0 || start >= trace.minutes()) {
            throw new ScenarioException(f.path("startMinute"), "must be in [0, " + trace.minutes() + ")");
        }
        return new ArrivalSpec.Trace(trace, meanRate, secondsPerMinute, (int) start);
    }
}
