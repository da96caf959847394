package dev.stratus.dataplane.worker.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.stratus.core.model.ModelSpec;
import dev.stratus.core.port.InferenceEngine;
import dev.stratus.core.port.InferenceEngineFactory;
import dev.stratus.core.port.InferenceException;
import dev.stratus.host.HardwareIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates ONNX Runtime sessions: full graph optimisation, bounded intra-op threads, CUDA when built with it.
 * With an optimised-model cache directory, the first load saves the optimised graph there and later loads
 * start from it with graph optimisation off, which is what makes a pre-warmed or restarted replica start faster.
 * Each cached file carries its SHA-256 ({@link VerifiedCacheFile}); one that does not match is rebuilt.
 */
public final class OnnxEngineFactory implements InferenceEngineFactory {
    private static final Logger LOG = Logger.getLogger(OnnxEngineFactory.class);
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
            "stratus");

    private final boolean spinBetweenRuns;
    private final Optional<Path> optimizedCache;
    /** This machine's hardware class, part of every cache file name; detected once (it may run nvidia-smi). */
    private final String hardwareId;

    /**
     * Engines whose intra-op threads stop spinning when a run ends: the right choice when other work (HTTP,
     * batching) shares the cores.
     */
    public OnnxEngineFactory() {
        this(false, Optional.empty());
    }

    /** As {@link #OnnxEngineFactory()}, keeping optimised models in {@code optimizedCache} when present. */
    public OnnxEngineFactory(Optional<Path> optimizedCache) {
        this(false, optimizedCache);
    }

    /**
     * @param spinBetweenRuns keep intra-op threads busy-waiting after a run too (ONNX Runtime's default; best
     *                        for a caller that has the cores to itself)
     */
    public OnnxEngineFactory(boolean spinBetweenRuns) {
        this(spinBetweenRuns, Optional.empty());
    }

    private OnnxEngineFactory(boolean spinBetweenRuns, Optional<Path> optimizedCache) {
        this.spinBetweenRuns = spinBetweenRuns;
        this.optimizedCache = optimizedCache;
        this.hardwareId = optimizedCache.isPresent() ? HardwareIdentity.detect(CudaSupport.available()).id() : "";
    }

    @Override
    public InferenceEngine load(ModelSpec spec, Path modelFile, int intraOpThreads) throws InferenceException {
        if (!Files.isRegularFile(modelFile)) {
            throw new InferenceException(modelFile + ": no such file (model '" + spec.name()
                    + "'; run ./stratus models fetch for the sample models)");
        }
        try {
            if (Files.size(modelFile) == 0) {
                // ONNX Runtime would parse zero bytes as a model without a graph.
                throw new InferenceException(modelFile + ": an empty file, not an ONNX model");
            }
        } catch (IOException e) {
            throw new InferenceException(modelFile + ": cannot read it: " + e.getMessage(), e);
        }
        Optional<Path> cached = optimizedCache.map(dir -> dir.resolve(cacheName(spec, hardwareId)));
        if (cached.isPresent() && Files.isRegularFile(cached.get())) {
            Optional<InferenceEngine> engine = fromCache(spec, cached.get(), intraOpThreads);
            if (engine.isPresent()) {
                return engine.get();
            }
        }
        return create(spec, modelFile.toString(), o -> ENV.createSession(modelFile.toString(), o), intraOpThreads,
                false, cached.orElse(null));
    }

    /**
     * The engine of a cached optimised model whose bytes match the digest recorded when it was written; else
     * (no digest, a mismatch, or a session that will not load) the entry is deleted to be rebuilt, since a stale
     * or damaged cache entry must never stop a model from loading, nor be loaded.
     */
    private Optional<InferenceEngine> fromCache(ModelSpec spec, Path cached, int intraOpThreads) {
        String problem;
        try {
            Optional<byte[]> verified = VerifiedCacheFile.read(cached);
            if (verified.isPresent()) {
                return Optional.of(create(spec, cached.toString(), o -> ENV.createSession(verified.get(), o),
                        intraOpThreads, true, null));
            }
            problem = "its sha256 does not match the one recorded when it was written (or none was)";
        } catch (IOException | InferenceException e) {
            problem = e.getMessage();
        }
        LOG.warnf("optimised model %s unusable (%s); deleting it, loading the original and caching it again", cached,
                problem);
        try {
            VerifiedCacheFile.delete(cached);
        } catch (IOException e) {
            LOG.warnf("cannot delete %s: %s", cached, e.getMessage());
        }
        return Optional.empty();
    }

    /** Opens a session with the options made here: from a file or from verified bytes. */
    @FunctionalInterface
    private interface SessionSource {
        OrtSession open(OrtSession.SessionOptions options) throws OrtException;
    }

    private InferenceEngine create(ModelSpec spec, String file, SessionSource source, int intraOpThreads,
            boolean fromCache, Path saveTo) throws InferenceException {
        Path temp = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // A cached file is already optimised for this machine; optimising again would only cost time.
            options.setOptimizationLevel(fromCache ? OrtSession.SessionOptions.OptLevel.NO_OPT
                    : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            // One batch runs at a time per session; parallelism comes from intra-op threads.
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (!spinBetweenRuns) {
                // Intra-op threads spin between the operators of a run (fast), but stop when the run ends: busy
                // waiting between batches would take the cores that the HTTP threads need.
                options.addConfigEntry("session.force_spinning_stop", "1");
            }
            CudaSupport.addIfAvailable(options);
            temp = saveTo == null ? null : partFile(saveTo);
            if (temp != null) {
                options.setOptimizedModelFilePath(temp.toString());
            }
            OrtSession session = source.open(options);
            if (temp != null) {
                // Published whole or not at all, with its digest, so a loader never uses half a file or a changed one.
                VerifiedCacheFile.publish(temp, saveTo);
                temp = null;
            }
            try {
                return new OnnxEngine(spec.name(), ENV, session, fromCache);
            } catch (IllegalArgumentException e) {
                session.close();
                throw new InferenceException(file + ": " + e.getMessage(), e);
            }
        } catch (OrtException e) {
            throw new InferenceException(file + ": " + loadFailure(Path.of(file), e), e);
        } catch (IOException | RuntimeException e) {
            throw new InferenceException(file + ": failed to load: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover .part file is never read
                }
            }
        }
    }

    /**
     * What went wrong, in the user's terms. ONNX Runtime says "Protobuf parsing failed" both for a file that is not
     * a model and for a cut-off download; a serialised ONNX model starts with its IR version (field 1, byte 0x08),
     * which tells the two apart.
     */
    static String loadFailure(Path file, OrtException e) {
        String detail = e.getMessage() == null ? e.getCode().toString() : e.getMessage();
        int at = detail.indexOf("message: ");
        if (at >= 0) {
            detail = detail.substring(at + "message: ".length());
        }
        detail = detail.replace("Load model from " + file + " failed:", "").trim();
        if (detail.startsWith("/onnxruntime_src/") && detail.contains(") ")) {
            // "<source file>:<line> <C++ signature> <message>": the user needs the message only.
            detail = detail.substring(detail.lastIndexOf(") ") + 2);
        }
        if (e.getCode() != OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF) {
            return "ONNX Runtime cannot load it: " + detail;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int first = in.read();
            long size = Files.size(file);
            if (first < 0) {
                return "an empty file, not an ONNX model";
            }
            return first == 0x08 ? "a damaged or truncated ONNX model (" + size + " bytes; ONNX Runtime: " + detail
                    + "); fetch or copy it again" : "not an ONNX model (ONNX Runtime: " + detail + ")";
        } catch (IOException io) {
            return "cannot be read: " + io.getMessage();
        }
    }

    /**
     * A new file beside {@code saveTo} for ONNX Runtime to write the optimised graph into, or null when that
     * directory cannot be written (a read-only model volume, as in a container): the cache only saves time, so the
     * model then loads without saving.
     */
    private static Path partFile(Path saveTo) {
        try {
            Files.createDirectories(saveTo.getParent());
            return Files.createTempFile(saveTo.getParent(), saveTo.getFileName().toString(), ".part");
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("optimised-model cache %s is not writable (%s); loading without saving the optimised model "
                    + "(set --optimized-model-cache to a writable directory, or none)", saveTo.getParent(), e);
            return null;
        }
    }

    /**
     * The optimised graph depends on the model file, the runtime version and the hardware it was optimised
     * for (CPU kernels pick layouts by instruction set), so all three are in the name.
     */
    static String cacheName(ModelSpec spec, String hardwareId) {
        String sha = spec.source().sha256();
        String hash = sha == null ? "nohash" : sha.substring(0, Math.min(12, sha.length()));
        return spec.name() + "-" + hash + "-ort" + ENV.getVersion() + "-"
                + hardwareId + ".onnx";
    }

    /** Whether sessions made here run on CUDA (the {@code -Pgpu} build on a machine with a GPU). */
    public static boolean usesCuda() {
        return CudaSupport.available();
    }

    /** ONNX Runtime's version, e.g. "onnxruntime 1.23.2". */
    public static String ortVersion() {
        return "onnxruntime " + ENV.getVersion();
    }

    @Override
    public String runtimeVersion() {
        return "onnxruntime " + ENV.getVersion();
    }
}
