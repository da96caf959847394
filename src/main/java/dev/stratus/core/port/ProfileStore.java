package dev.stratus.core.port;

import dev.stratus.core.model.profile.Profile;

import java.util.List;
import java.util.Optional;

/** Where profiles live (files under {@code profiles/} locally). Reads fail loudly on malformed content. */
public interface ProfileStore {

    /** The profile of {@code model} on {@code hardwareId}, if one was stored. */
    Optional<Profile> find(String model, String hardwareId);

    /** Every stored profile of {@code model}, one per hardware class, ordered by hardware id. */
    List<Profile> forModel(String model);

    /** Models with at least one profile, sorted. */
    List<String> models();

    /** Stores (or replaces) the profile for its model and hardware class, atomically. */
    void save(Profile profile);
}
