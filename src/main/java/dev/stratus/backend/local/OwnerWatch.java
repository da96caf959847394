package dev.stratus.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes a process started by another Stratus process end when its owner is gone, also when the owner was killed
 * with SIGKILL and could run no shutdown hook. {@link AppCommand#start} tells the child its owner through the
 * environment: its parent ({@value #PARENT_PID}), or, for the control service's workers, an owner record file
 * ({@value #OWNER_FILE}) that a restarted control service rewrites to adopt them, with a grace period
 * ({@value #ORPHAN_GRACE_MS}) during which an orphaned worker keeps serving and waits to be adopted. Past the
 * grace, the process exits normally (shutdown hooks run: a worker drains, a control service stops its workers).
 */
public final class OwnerWatch {
    public static final String PARENT_PID = "STRATUS_PARENT_PID";
    public static final String OWNER_FILE = "STRATUS_OWNER_FILE";
    public static final String ORPHAN_GRACE_MS = "STRATUS_ORPHAN_GRACE_MS";
    static final long POLL_MILLIS = 250;
    private static final Logger LOG = Logger.getLogger(OwnerWatch.class);

    private OwnerWatch() {
    }

    /**
     * The orphan rule: from when the owner was first seen gone, and whether to stop now.
     *
     * @param orphanedSince when the owner was first missed, or null while it lives
     * @return the new value of orphanedSince (null: the owner lives, or lives again after an adoption)
     */
    static Long orphanedSince(Long orphanedSince, boolean ownerAlive, long now) {
        if (ownerAlive) {
            return null;
        }
        return orphanedSince == null ? now : orphanedSince;
    }

    static boolean expired(Long orphanedSince, long now, long graceMillis) {
        return orphanedSince != null && now - orphanedSince >= graceMillis;
    }

    /** Starts the watch when the environment names an owner; does nothing for a process started by hand. */
    public static void startFromEnvironment(Map<String, String> env) {
        String parent = env.get(PARENT_PID);
        if (parent == null || parent.isBlank()) {
            return;
        }
        long parentPid;
        try {
            parentPid = Long.parseLong(parent.trim());
        } catch (NumberFormatException e) {
            LOG.warnf("ignoring %s=%s: not a pid", PARENT_PID, parent);
            return;
        }
        // The parent as it is now: if it already died, this process was reparented and must not linger.
        Optional<ProcessHandle> actual = ProcessHandle.current().parent().filter(p -> p.pid() == parentPid);
        Optional<Path> ownerFile = Optional.ofNullable(env.get(OWNER_FILE)).filter(s -> !s.isBlank()).map(Path::of);
        long grace = Optional.ofNullable(env.get(ORPHAN_GRACE_MS)).map(String::trim).map(Long::parseLong).orElse(0L);
        Thread.ofPlatform().name("owner-watch").daemon(true).start(() -> watch(actual, ownerFile, grace));
    }

    private static void watch(Optional<ProcessHandle> parent, Optional<Path> ownerFile, long graceMillis) {
        Long since = null;
        String lastOwner = "";
        while (true) {
            Optional<OwnerRecord> named = ownerFile.flatMap(OwnerWatch::read);
            boolean alive = named.map(OwnerRecord::alive).orElseGet(() -> parent.map(ProcessHandle::isAlive)
                    .orElse(false));
            String owner = named.map(o -> "process " + o.pid() + " (owner file " + ownerFile.get() + ")")
                    .orElseGet(() -> "parent process " + parent.map(p -> Long.toString(p.pid())).orElse("?"));
            long now = System.currentTimeMillis();
            Long next = orphanedSince(since, alive, now);
            if (next != null && since == null && graceMillis > 0) {
                LOG.warnf("%s is gone; serving on for up to %d ms in case a new owner adopts this process", owner,
                        graceMillis);
            } else if (next == null && since != null) {
                LOG.infof("adopted by %s", owner);
            } else if (next == null && !owner.equals(lastOwner) && !lastOwner.isEmpty()) {
                LOG.infof("owner is now %s", owner);
            }
            since = next;
            lastOwner = owner;
            if (expired(since, now, graceMillis)) {
                LOG.warnf("%s is gone%s: stopping", owner, graceMillis > 0 ? " and nobody adopted this process"
                        : "");
                System.exit(0); // shutdown hooks run: a worker drains, a control service stops its own children
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Optional<OwnerRecord> read(Path file) {
        try {
            return OwnerRecord.parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
