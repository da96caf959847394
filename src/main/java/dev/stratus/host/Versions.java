package dev.stratus.host;

/** Version of this build, from the jar manifest (or "dev" when run from classes). */
public final class Versions {
    private Versions() {
    }

    public static String stratus() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
