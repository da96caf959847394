package dev.stratus.profiles;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the profiles a long-running service has read: the control service looks them up on every re-plan and
 * every routing change, and each file read is a YAML parse plus a schema check. Saving through this store
 * replaces the cached entry; files changed behind its back are seen after a restart.
 */
public final class CachingProfileStore implements ProfileStore {
    private final ProfileStore files;
    private final Map<String, List<Profile>> byModel = new ConcurrentHashMap<>();

    public CachingProfileStore(ProfileStore files) {
        this.files = files;
    }

    @Override
    public Optional<Profile> find(String model, String hardwareId) {
        return forModel(model).stream().filter(p -> p.hardwareId().equals(hardwareId)).findFirst();
    }

    @Override
    public List<Profile> forModel(String model) {
        return byModel.computeIfAbsent(model, files::forModel);
    }

    @Override
    public List<String> models() {
        return files.models();
    }

    @Override
    public void save(Profile profile) {
        files.save(profile);
        byModel.remove(profile.model());
    }
}
