package dev.stratus.control.io;

import dev.stratus.catalog.ModelCatalog;
import dev.stratus.catalog.UserCatalog;
import dev.stratus.control.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The resources the control service runs (pools, models, pipelines), as the admin API edits them: a change is
 * checked by building the whole service spec from the edited set, and kept only if that succeeds, the control
 * service accepts the new plan and the change is recorded (to survive a restart). A change that cannot be
 * recorded is undone.
 */
public final class ResourceSet {
    private final Recorder recorder;
    private List<ResourceReader.Resource> resources;
    private final ModelCatalog catalog;

    public ResourceSet(List<ResourceReader.Resource> resources) {
        this(resources, Recorder.NONE);
    }

    public ResourceSet(List<ResourceReader.Resource> resources, Recorder recorder) {
        this(resources, ModelCatalog.effective(Optional.empty(), UserCatalog.fromEnvironment()), recorder);
    }

    /**
     * @param catalog  the entries the workers read, for the models' default max batch
     * @param recorder where accepted changes are recorded
     */
    public ResourceSet(List<ResourceReader.Resource> resources, ModelCatalog catalog, Recorder recorder) {
        this.resources = List.copyOf(resources);
        this.catalog = catalog;
        this.recorder = recorder;
    }

    /** Where accepted changes are recorded; throws when it cannot record one. */
    public interface Recorder {
        Recorder NONE = new Recorder() {
            @Override
            public void put(ResourceReader.Resource resource) {
            }

            @Override
            public void delete(String kind, String name) {
            }
        };

        void put(ResourceReader.Resource resource);

        void delete(String kind, String name);
    }

    public synchronized List<ResourceReader.Resource> ofKind(String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    public synchronized Optional<ResourceReader.Resource> find(String kind, String name) {
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
    }

    /** Applies a put (replace or add) through {@code apply}, which throws to refuse it; true when it was new. */
    public synchronized boolean put(ResourceReader.Resource resource, Applier apply) {
        List<ResourceReader.Resource> next = new ArrayList<>();
        boolean replaced = false;
        for (ResourceReader.Resource r : resources) {
            if (r.kind().equals(resource.kind()) && r.name().equals(resource.name())) {
                next.add(resource);
                replaced = true;
            } else {
                next.add(r);
            }
        }
        if (!replaced) {
            next.add(resource);
        }
        apply.apply(ResourceReader.toSpec(next, catalog));
        record(apply, () -> recorder.put(resource));
        resources = List.copyOf(next);
        return !replaced;
    }

    /** Removes a resource through {@code apply}; false when there was none. */
    public synchronized boolean delete(String kind, String name, Applier apply) {
        List<ResourceReader.Resource> next = resources.stream()
                .filter(r -> !(r.kind().equals(kind) && r.name().equals(name))).toList();
        if (next.size() == resources.size()) {
            return false;
        }
        apply.apply(ResourceReader.toSpec(next, catalog));
        record(apply, () -> recorder.delete(kind, name));
        resources = next;
        return true;
    }

    /** Records an applied change; if that fails, the service goes back to the resources as they were. */
    private void record(Applier apply, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            apply.apply(ResourceReader.toSpec(resources, catalog));
            throw new NotRecordedException("the change could not be stored, so it was undone: " + e.getMessage(), e);
        }
    }

    /** An accepted change that could not be recorded (and was undone). */
    public static final class NotRecordedException extends RuntimeException {
        NotRecordedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Applies a new spec to the running service, or throws to refuse the change. */
    @FunctionalInterface
    public interface Applier {
        void apply(ServiceSpec spec);
    }
}
