package dev.stratus.cli;

import dev.stratus.catalog.InputShapes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code stratus worker} and {@code stratus serve} for serving a model repository: the folder, the
 * warm-up shapes of inferred models and pinned default versions; set as configuration under a prefix.
 */
class RepositoryOptions {
    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "A model repository, <DIR>/<model>/<version>/model.onnx: its models are served with every "
                    + "version, entries inferred from the models' metadata where no catalog has one.")
    Path modelsDir;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Warm-up shape of one item of an input with dynamic dims, batch dim 1, for models without "
                    + "a catalog entry, e.g. x=1,3,48,192 (repeatable; applies to every model with such an input).")
    List<String> inputShapes = List.of();

    @Option(names = "--default-version", paramLabel = "MODEL=V",
            description = "Pin the version the unversioned path serves (default: the highest ready one; repeatable).")
    List<String> defaultVersions = List.of();

    /** Sets {@code <prefix>.models-dir}, {@code <prefix>.input-shape."NAME"}, {@code <prefix>.default-version."M"}. */
    void apply(String prefix) {
        if (modelsDir != null) {
            if (!Files.isDirectory(modelsDir)) {
                throw new UserException("--models-dir " + modelsDir + ": not a folder");
            }
            System.setProperty(prefix + ".models-dir", modelsDir.toAbsolutePath().toString());
        }
        try {
            InputShapes.parse(inputShapes).forEach((input, dims) -> System.setProperty(prefix + ".input-shape.\""
                    + input + "\"", String.join(",", Arrays.stream(dims).mapToObj(Long::toString).toList())));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        for (String pin : defaultVersions) {
            int eq = pin.indexOf('=');
            if (eq < 1 || eq == pin.length() - 1) {
                throw new UserException("--default-version: expected MODEL=VERSION, got '" + pin + "'");
            }
            System.setProperty(prefix + ".default-version.\"" + pin.substring(0, eq).trim() + "\"",
                    pin.substring(eq + 1).trim());
        }
    }
}
