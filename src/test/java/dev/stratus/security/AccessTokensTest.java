package dev.stratus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessTokensTest {
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String VIEWER = "viewer-token-0123456789abcdef";
    static final String VAD = "vad-client-token-0123456789";
    static final AccessTokens TOKENS = AccessTokens.of(List.of(new AccessTokens.Grant("admin", ADMIN),
            new AccessTokens.Grant("viewer", VIEWER), new AccessTokens.Grant("infer:vad", VAD)));

    @Test
    void eachTokenGrantsItsRole() {
        assertEquals(Set.of("admin"), TOKENS.rolesOf(ADMIN));
        assertEquals(Set.of("viewer"), TOKENS.rolesOf(VIEWER));
        assertEquals(Set.of("infer:vad"), TOKENS.rolesOf(VAD));
        assertTrue(TOKENS.guardAdminApi());
        assertTrue(TOKENS.guardsInference("vad"));
        assertFalse(TOKENS.guardsInference("ocr-cls"));
    }

    @ParameterizedTest
    @CsvSource({"admin-token-0123456789abcdeF", "admin-token-0123456789abcde", "admin-token-0123456789abcdef0",
            "ADMIN-TOKEN-0123456789ABCDEF", "''"})
    void nearMissesGrantNothing(String presented) {
        assertEquals(Set.of(), TOKENS.rolesOf(presented));
        assertEquals(Set.of(), TOKENS.rolesOf(null));
    }

    @Test
    void aTokenOnTwoLinesGrantsBothRoles() {
        AccessTokens t = AccessTokens.of(List.of(new AccessTokens.Grant("viewer", ADMIN),
                new AccessTokens.Grant("admin", ADMIN)));
        assertEquals(Set.of("viewer", "admin"), t.rolesOf(ADMIN));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "root                    | 0123456789abcdef0123 | unknown role 'root'",
            "infer:Bad_Model         | 0123456789abcdef0123 | unknown role",
            "admin                   | short                | shorter than 16",
            "admin                   | 'with space 0123456789' | printable ASCII"
    })
    void badGrantsAreRefused(String role, String token, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AccessTokens.Grant(role, token));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /**
     * A comparison that stops at the first differing character answers a near miss in the time it takes to
     * compare the matching prefix: an attacker learns the token a character at a time. Here the token is a
     * megabyte long, so that such a short-circuit would show as a 1000-fold difference between a token that
     * differs in its first byte and one that differs only in its last; matching hashes both first, so the two
     * take the same time. The fastest of many interleaved runs of each is compared (the minimum is what noise on a
     * loaded machine cannot lower), with a factor of 10 as the bound: far from 1000, far from flaky.
     */
    @Test
    void aNearMissTakesAsLongAsAFarMiss() {
        char[] chars = new char[1 << 20];
        Arrays.fill(chars, 'a');
        String secret = new String(chars);
        AccessTokens one = AccessTokens.of(List.of(new AccessTokens.Grant("admin", secret)));
        chars[0] = 'b';
        String far = new String(chars);
        chars[0] = 'a';
        chars[chars.length - 1] = 'b';
        String near = new String(chars);
        for (int i = 0; i < 20; i++) { // warm up both paths
            one.rolesOf(far);
            one.rolesOf(near);
        }
        List<Long> farNanos = new ArrayList<>();
        List<Long> nearNanos = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            farNanos.add(time(one, far));
            nearNanos.add(time(one, near));
        }
        double ratio = (double) Collections.min(nearNanos) / Collections.min(farNanos);
        assertTrue(ratio > 1 / 10.0 && ratio < 10, "near miss / far miss time: " + ratio);
        assertEquals(Set.of(), one.rolesOf(near));
        assertEquals(Set.of("admin"), one.rolesOf(secret));
    }

    private static long time(AccessTokens tokens, String presented) {
        long start = System.nanoTime();
        tokens.rolesOf(presented);
        return System.nanoTime() - start;
    }
}
