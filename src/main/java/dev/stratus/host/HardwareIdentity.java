package dev.stratus.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The hardware class of this machine, as profiles name it: {@code cpu-<model>-<cores>c} (for example
 * {@code cpu-amd-epyc-2c}) or, when inference runs on a GPU, {@code gpu-<name>} (for example
 * {@code gpu-nvidia-h100-80gb-hbm3}). Two machines with the same id are expected to profile alike.
 */
public record HardwareIdentity(String id, String cpuModel, int cpuCores, Optional<String> gpu) {

    public static HardwareIdentity detect(boolean gpuInUse) {
        String cpu = detectCpuModel();
        int cores = Runtime.getRuntime().availableProcessors();
        Optional<String> gpu = gpuInUse ? gpuName() : Optional.empty();
        String id = gpu.map(g -> "gpu-" + slug(g)).orElse("cpu-" + slug(cpu) + "-" + cores + "c");
        return new HardwareIdentity(id, cpu, cores, gpu);
    }

    /** Lower case, runs of anything but letters and digits as one dash, no vendor noise words. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT)
                .replaceAll("\\((r|tm)\\)", " ")
                .replaceAll("\\b(processor|cpu|with radeon graphics)\\b", " ")
                .replaceAll("@.*$", " ")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "unknown" : s;
    }

    private static String detectCpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch"); // not Linux
        }
    }

    private static Optional<String> gpuName() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return Optional.of(out.lines().findFirst().orElse(out).trim());
            }
        } catch (IOException e) {
            // no driver tools: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of("unknown-gpu");
    }
}
