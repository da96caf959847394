package dev.stratus.dataplane.worker.runtime;

import dev.stratus.core.model.ModelState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One model name of a worker and its loaded versions, each its own {@link ModelRuntime} (own queue and batcher).
 * A request that names a version goes to it; one that does not goes to the default: the pinned version, else the
 * highest version that is READY. Because only a READY version can become the default, a new version takes over
 * unversioned traffic only once it is loaded and warmed, and requests already queued on the previous default finish
 * there.
 */
public final class ServedModel {
    /** Versions in numeric order when they are numbers (2 before 10), else as text. */
    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
        boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
        if (na && nb) {
            int byLength = Integer.compare(a.length(), b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    };

    private final String name;
    private final ConcurrentSkipListMap<String, ModelRuntime> versions = new ConcurrentSkipListMap<>(VERSION_ORDER);
    private volatile String pinned;

    public ServedModel(String name, List<ModelRuntime> runtimes, Optional<String> pinned) {
        this.name = name;
        runtimes.forEach(this::add);
        this.pinned = pinned.orElse(null);
    }

    public String name() {
        return name;
    }

    void add(ModelRuntime runtime) {
        if (!runtime.name().equals(name)) {
            throw new IllegalArgumentException("runtime of " + runtime.name() + " added to model " + name);
        }
        versions.put(runtime.version(), runtime);
    }

    /** Takes a version out of routing; its runtime is returned so that the caller drains and closes it. */
    Optional<ModelRuntime> remove(String version) {
        if (version.equals(pinned)) {
            pinned = null;
        }
        return Optional.ofNullable(versions.remove(version));
    }

    void pin(Optional<String> version) {
        pinned = version.orElse(null);
    }

    /** The pinned default version, if any (else the highest READY one is the default). */
    public Optional<String> pinned() {
        return Optional.ofNullable(pinned);
    }

    /** The runtime the unversioned path goes to: the pinned version, else the highest READY one, else the highest. */
    public ModelRuntime defaultVersion() {
        String p = pinned;
        if (p != null) {
            ModelRuntime r = versions.get(p);
            if (r != null) {
                return r;
            }
        }
        for (ModelRuntime r : versions.descendingMap().values()) {
            if (r.state() == ModelState.READY) {
                return r;
            }
        }
        return versions.lastEntry().getValue();
    }

    public Optional<ModelRuntime> version(String version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** Every loaded version, lowest first. */
    public List<ModelRuntime> versions() {
        return List.copyOf(versions.values());
    }

    public List<String> versionNames() {
        return List.copyOf(versions.keySet());
    }

    /** Items queued or executing over all versions. */
    public int pendingItems() {
        return versions.values().stream().mapToInt(ModelRuntime::pendingItems).sum();
    }

    /** The default version's state: what an unversioned request meets. */
    public ModelState state() {
        return defaultVersion().state();
    }
}
