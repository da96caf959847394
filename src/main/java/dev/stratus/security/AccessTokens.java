package dev.stratus.security;

import dev.stratus.core.model.ResourceName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bearer tokens this process accepts, each with the role it grants: {@code admin}, {@code viewer}, or
 * {@code infer:MODEL} (inference on one model through the gateway). Only SHA-256 digests are kept.
 *
 * <p>Matching never short-circuits: the presented token is hashed once and its digest compared, in constant
 * time, with every stored digest, so neither a matching prefix nor the position of the matching entry changes
 * how long a check takes. Hashing first also hides the stored tokens' lengths.
 */
public final class AccessTokens {
    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";
    public static final String INFER_PREFIX = "infer:";
    /** Shorter tokens could be guessed; generated ones have 43 characters. */
    public static final int MIN_LENGTH = 16;
    public static final AccessTokens NONE = new AccessTokens(List.of());

    /** One accepted token: its digest and the role it grants. */
    private record Entry(String role, byte[] digest) {
    }

    private final List<Entry> entries;

    private AccessTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Tokens from {@code (role, token)} pairs; a role or token that is not allowed is an IllegalArgumentException. */
    public static AccessTokens of(List<Grant> grants) {
        List<Entry> entries = new ArrayList<>();
        for (Grant g : grants) {
            entries.add(new Entry(g.role(), digest(g.token())));
        }
        return new AccessTokens(entries);
    }

    /** A token and the role it grants, checked: a known role and a token that can travel in a header. */
    public record Grant(String role, String token) {
        public Grant {
            if (!isRole(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "': use admin, viewer or infer:MODEL");
            }
            if (token == null || token.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("the " + role + " token is shorter than " + MIN_LENGTH
                        + " characters");
            }
            if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("the " + role + " token has characters other than printable "
                        + "ASCII (no spaces)");
            }
        }
    }

    public AccessTokens plus(AccessTokens other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new AccessTokens(all);
    }

    /**
     * The roles {@code presented} grants (empty when it matches no token). Every entry is compared, whatever
     * matched before, in time independent of the content.
     */
    public Set<String> rolesOf(String presented) {
        byte[] digest = digest(presented == null ? "" : presented);
        Set<String> roles = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest)) {
                roles.add(e.role());
            }
        }
        return roles;
    }

    /** Whether any token grants admin or viewer: the admin API is usable. */
    public boolean guardAdminApi() {
        return entries.stream().anyMatch(e -> e.role().equals(ADMIN) || e.role().equals(VIEWER));
    }

    /** Whether inference on {@code model} needs a token: some token grants {@code infer:model}. */
    public boolean guardsInference(String model) {
        String role = INFER_PREFIX + model;
        return entries.stream().anyMatch(e -> e.role().equals(role));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** How many tokens grant {@code role}. */
    public long count(String role) {
        return entries.stream().filter(e -> e.role().equals(role)).count();
    }

    /** The role of a token that may call inference on {@code model}. */
    public static String inferRole(String model) {
        return INFER_PREFIX + model;
    }

    static boolean isRole(String role) {
        return role != null && (role.equals(ADMIN) || role.equals(VIEWER) || (role.startsWith(INFER_PREFIX)
                && ResourceName.problem(role.substring(INFER_PREFIX.length())).isEmpty()));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
