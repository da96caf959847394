package dev.stratus.control;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import java.util.List;
import java.util.Optional;

/**
 * How many intra-op threads a worker group runs with: the threads its models' profiles were measured with on the
 * group's hardware class, so that the latencies the plan was made from hold on the replicas it starts. A profile
 * of the same model on another class says nothing about this one (a 2-core machine may be profiled with one thread
 * per replica, a larger one with more); only where the pool's class has no profile of a model do its other
 * profiles decide, as before.
 */
final class WorkerThreads {
    private WorkerThreads() {
    }

    /** The most threads any of {@code models} was profiled with on {@code hardwareId} (at least 1). */
    static int forGroup(List<String> models, Optional<String> hardwareId, ProfileStore profiles) {
        int threads = 1;
        for (String m : models) {
            Optional<Profile> own = hardwareId.flatMap(hw -> profiles.find(m, hw));
            List<Profile> measured = own.map(List::of).orElseGet(() -> profiles.forModel(m));
            for (Profile p : measured) {
                threads = Math.max(threads, p.provenance().threads());
            }
        }
        return threads;
    }
}
