package dev.stratus.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder in Triton's model-repository layout, {@code <repo>/<model>/<version>/model.onnx}: several models, each
 * with one or more numbered versions. Scanning reads only the folder structure (no model is loaded); what does not
 * fit the layout is reported per folder so that one misplaced file never hides the other models.
 *
 * @param problems one line per folder or file that was skipped, naming it and what is wrong
 */
public record ModelRepository(Path root, List<Model> models, List<String> problems) {
    public static final String MODEL_FILE = "model.onnx";
    private static final Pattern VERSION = Pattern.compile("0|[1-9][0-9]{0,17}");

    public ModelRepository {
        models = List.copyOf(models);
        problems = List.copyOf(problems);
    }

    /**
     * One model of the repository and its versions, highest last.
     *
     * @param versions version (a decimal number, as written) to its model file
     */
    public record Model(String name, Path dir, TreeMap<Long, Path> versions) {
        public Model {
            versions = new TreeMap<>(versions);
        }

        @Override
        public TreeMap<Long, Path> versions() {
            return new TreeMap<>(versions);
        }

        public String highest() {
            return Long.toString(versions.lastKey());
        }

        public Optional<Path> file(String version) {
            try {
                return Optional.ofNullable(versions.get(Long.parseLong(version)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        public List<String> versionNames() {
            return versions.keySet().stream().map(String::valueOf).toList();
        }
    }

    /** Scans {@code root}; throws when it is not a folder or holds no model at all (with what is wrong). */
    public static ModelRepository scan(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new CatalogException(root + ": not a folder; a model repository is a folder laid out as <repo>/"
                    + "<model>/<version>/" + MODEL_FILE);
        }
        if (!versionFolders(dir).isEmpty()) {
            throw new CatalogException(root + ": this is one model's folder (it holds version folders); give its "
                    + "parent, the repository, which holds <model>/<version>/" + MODEL_FILE);
        }
        List<Model> models = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path entry : list(dir)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue; // hidden: editors' and tools' files, never a model
            }
            if (!Files.isDirectory(entry)) {
                if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
                    problems.add(entry + ": a model file directly in the repository is not served; move it to "
                            + dir.resolve(ModelNames.derive(name)).resolve("1").resolve(MODEL_FILE));
                }
                continue;
            }
            Optional<String> badName = ModelNames.problem(name);
            if (badName.isPresent()) {
                problems.add(entry + ": skipped: " + badName.get() + "; rename the folder");
                continue;
            }
            TreeMap<Long, Path> versions = new TreeMap<>();
            for (Path v : list(entry)) {
                String version = v.getFileName().toString();
                if (version.startsWith(".") || !Files.isDirectory(v)) {
                    continue;
                }
                if (!VERSION.matcher(version).matches()) {
                    problems.add(v + ": skipped: a version folder is named by a number (1, 2, ...)");
                    continue;
                }
                Path file = v.resolve(MODEL_FILE);
                if (!Files.isRegularFile(file)) {
                    problems.add(v + ": skipped: no " + MODEL_FILE + " in it");
                    continue;
                }
                versions.put(Long.parseLong(version), file);
            }
            if (versions.isEmpty()) {
                problems.add(entry + ": no model: expected " + entry.resolve("<version>").resolve(MODEL_FILE)
                        + ", e.g. " + entry.resolve("1").resolve(MODEL_FILE));
                continue;
            }
            models.add(new Model(name, entry, versions));
        }
        if (models.isEmpty()) {
            throw new CatalogException(root + ": no model in this repository (expected " + root.resolve("<model>")
                    .resolve("<version>").resolve(MODEL_FILE) + ")" + (problems.isEmpty() ? ""
                    : ": " + String.join("; ", problems)));
        }
        return new ModelRepository(dir, models, problems);
    }

    public Optional<Model> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return models.stream().map(Model::name).toList();
    }

    private static List<Path> versionFolders(Path dir) {
        return list(dir).stream().filter(p -> Files.isDirectory(p)
                && VERSION.matcher(p.getFileName().toString()).matches()
                && Files.isRegularFile(p.resolve(MODEL_FILE))).toList();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new CatalogException("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
