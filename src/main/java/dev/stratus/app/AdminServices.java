package dev.stratus.app;

import dev.stratus.config.StratusConfig;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.profiles.CachingProfileStore;
import dev.stratus.profiles.FileProfileStore;
import dev.stratus.profiling.ProfilingJobs;
import dev.stratus.profiling.ProfilingLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** Wires the services behind the admin API to their local implementations. */
@ApplicationScoped
public class AdminServices {

    @Produces
    @ApplicationScoped
    ProfileStore profileStore(StratusConfig config) {
        return new CachingProfileStore(new FileProfileStore(Path.of(config.profiles().dir())));
    }

    @Produces
    @ApplicationScoped
    ProfilingJobs profilingJobs(ProfileStore store, StratusConfig config) {
        StratusConfig.Profiling p = config.profiling();
        return new ProfilingJobs(store, new ProfilingLimits(p.maxQueuedJobs(), p.maxInputElements(), p.maxWindowMs(),
                p.maxWindows(), p.maxJobSeconds()));
    }

    void close(@Disposes ProfilingJobs jobs) {
        jobs.close();
    }
}
