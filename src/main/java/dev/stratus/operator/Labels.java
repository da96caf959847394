package dev.stratus.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Label and annotation names the operator, the fleet and the gateways agree on, and DNS-safe names. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "stratus-operator";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    /** The worker group a pod belongs to (a DNS-safe form of the group id). */
    public static final String GROUP = "stratus.dev/group";
    /** serving (routed), standby (warm pool, not routed) or draining (leaving). */
    public static final String ROLE = "stratus.dev/role";
    public static final String POOL = "stratus.dev/pool";
    /** Hash of everything that shapes a group's pods: a pod with another hash is replaced. */
    public static final String SPEC_HASH = "stratus.dev/spec-hash";
    public static final String MODEL = "stratus.dev/model";
    public static final String HARDWARE = "stratus.dev/hardware-id";
    public static final String GROUP_ID = "stratus.dev/group-id";
    public static final String MODELS = "stratus.dev/models";
    /**
     * The edge site of a worker pod's pool (tier edge with a site), and of a site's gateway pods: as a label (a
     * label-safe form, for selectors and {@code kubectl -l}) and as an annotation (the site's exact name, which the
     * gateways route by). Pods of every other pool carry neither: the cloud gateway serves them.
     */
    public static final String SITE = "stratus.dev/site";
    public static final String SERVING = "serving";
    public static final String STANDBY = "standby";
    public static final String DRAINING = "draining";

    private Labels() {
    }

    /** A DNS-1123 name of at most {@code max} characters, unique for {@code text} (a hash suffix). */
    public static String dnsName(String prefix, String text, int max) {
        String hash = hash(text).substring(0, 6);
        String base = (prefix + text).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-+", "-").replaceAll("^-|-$", "");
        int room = max - hash.length() - 1;
        if (base.length() > room) {
            base = base.substring(0, room).replaceAll("-$", "");
        }
        return base + "-" + hash;
    }

    /** A label value for {@code text}: itself when it is one (at most 63 of [A-Za-z0-9._-], alphanumeric ends). */
    public static String labelValue(String text) {
        return text.matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?") ? text : dnsName("", text, 63);
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
