package dev.stratus.core.planning;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Profiles held in memory: synthetic workloads (planner scale benchmark) and tests. */
public final class MapProfileStore implements ProfileStore {
    private final Map<String, Map<String, Profile>> byModel = new ConcurrentHashMap<>();

    public MapProfileStore() {
    }

    public MapProfileStore(Collection<Profile> profiles) {
        profiles.forEach(this::save);
    }

    @Override
    public Optional<Profile> find(String model, String hardwareId) {
        return Optional.ofNullable(byModel.getOrDefault(model, Map.of()).get(hardwareId));
    }

    @Override
    public List<Profile> forModel(String model) {
        return new ArrayList<>(new TreeMap<>(byModel.getOrDefault(model, Map.of())).values());
    }

    @Override
    public List<String> models() {
        return byModel.keySet().stream().sorted().toList();
    }

    @Override
    public void save(Profile profile) {
        byModel.computeIfAbsent(profile.model(), m -> new ConcurrentHashMap<>()).put(profile.hardwareId(), profile);
    }
}
