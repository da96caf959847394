package dev.stratus.profiles;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Profiles from a primary store, falling back to another for what it lacks: in a cluster, the profiles measured
 * there (ConfigMaps) over those shipped with the application. Saves go to the primary.
 */
public final class LayeredProfileStore implements ProfileStore {
    private final ProfileStore primary;
    private final ProfileStore fallback;

    public LayeredProfileStore(ProfileStore primary, ProfileStore fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public Optional<Profile> find(String model, String hardwareId) {
        return primary.find(model, hardwareId).or(() -> fallback.find(model, hardwareId));
    }

    @Override
    public List<Profile> forModel(String model) {
        Map<String, Profile> byHardware = new TreeMap<>();
        fallback.forModel(model).forEach(p -> byHardware.put(p.hardwareId(), p));
        primary.forModel(model).forEach(p -> byHardware.put(p.hardwareId(), p));
        return new ArrayList<>(byHardware.values());
    }

    @Override
    public List<String> models() {
        TreeSet<String> all = new TreeSet<>(fallback.models());
        all.addAll(primary.models());
        return List.copyOf(all);
    }

    @Override
    public void save(Profile profile) {
        primary.save(profile);
    }
}
