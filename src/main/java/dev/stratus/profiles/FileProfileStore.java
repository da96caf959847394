package dev.stratus.profiles;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Profiles as files: {@code <root>/<model>/<hardware-id>.yaml}. Reads are validated against the schema and fail
 * with the file and field named; writes are atomic (a reader never sees half a profile).
 */
public final class FileProfileStore implements ProfileStore {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path root;

    public FileProfileStore(Path root) {
        this.root = root;
    }

    /** The store under {@code profiles/} of the working directory (the repository root when run from it). */
    /**
     * Copies a store's directory to {@code to} (which must not exist yet): a run that may profile models (serve on
     * a machine type without committed profiles) then writes there, not into the source tree.
     */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted().toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    public static FileProfileStore fromWorkingDirectory() {
        return new FileProfileStore(Path.of("profiles"));
    }

    public Path root() {
        return root;
    }

    public Path fileFor(String model, String hardwareId) {
        return root.resolve(checked(model, "model")).resolve(checked(hardwareId, "hardware id") + ".yaml");
    }

    @Override
    public Optional<Profile> find(String model, String hardwareId) {
        Path file = fileFor(model, hardwareId);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    @Override
    public List<Profile> forModel(String model) {
        Path dir = root.resolve(checked(model, "model"));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Profile> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                out.add(read(f));
            }
        } catch (IOException e) {
            throw new ProfileException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<String> models() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).filter(d -> hasProfile(d))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ProfileException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Profile profile) {
        Path file = fileFor(profile.model(), profile.hardwareId());
        String text = "# Stratus profile of " + profile.model() + " on " + profile.hardwareId()
                + ", written by `stratus profile`. Schema: profiles/profile.schema.json; fields: docs/profiles.md.\n"
                + ProfileDocuments.toYaml(profile);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ProfileException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates one profile file. */
    public static Profile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read: " + e.getMessage(), e);
        }
        Profile profile = ProfileDocuments.fromYaml(text, file.toString());
        String expected = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        if (!profile.hardwareId().equals(expected)) {
            throw new ProfileException(file + ": provenance.hardwareId is '" + profile.hardwareId()
                    + "' but the file is named for '" + expected + "'");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !profile.model().equals(parent.getFileName().toString())) {
            throw new ProfileException(file + ": model is '" + profile.model() + "' but the file is under '"
                    + parent.getFileName() + "/'");
        }
        return profile;
    }

    private static boolean hasProfile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".yaml"));
        } catch (IOException e) {
            return false;
        }
    }

    private static String checked(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ProfileException("invalid " + what + " '" + name + "': use lower-case letters, digits, '.', '_' and '-'");
        }
        return name;
    }
}
