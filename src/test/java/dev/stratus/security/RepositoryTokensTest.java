package dev.stratus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.stratus.dataplane.worker.http.RepositoryAccess.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A worker's model repository endpoints: an admin token of its token file or environment, nothing else. */
class RepositoryTokensTest {
    static final String ADMIN = "file-admin-token-0123456789";
    static final String ENV_ADMIN = "env-admin-token-0123456789";
    static final String VIEWER = "file-viewer-token-0123456789";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "no header                 | NONE                                  | UNAUTHENTICATED",
            "not a bearer token        | Basic YWRtaW46eA==                    | UNAUTHENTICATED",
            "unknown token             | Bearer unknown-token-0123456789       | UNAUTHENTICATED",
            "viewer token              | Bearer " + VIEWER + "                 | FORBIDDEN",
            "admin token of the file   | Bearer " + ADMIN + "                  | ALLOW",
            "admin token of the env    | bearer " + ENV_ADMIN + "              | ALLOW",
            "inference token           | Bearer infer-vad-token-0123456789     | FORBIDDEN",
    })
    void onlyAnAdminTokenMayChangeWhatIsServed(String name, String authorization, Decision expected)
            throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "admin " + ADMIN + "\nviewer " + VIEWER + "\ninfer:vad infer-vad-token-0123456789\n");
        AccessTokens tokens = AccessSetup.forWorker(file, Optional.of(ENV_ADMIN), Optional.empty());
        assertEquals(expected, new RepositoryTokens(() -> tokens).check(authorization), name);
    }

    /** A worker has no admin API: without tokens it generates none and refuses every repository request. */
    @Test
    void withoutTokensNothingIsGeneratedAndEveryRequestIsRefused() throws Exception {
        Path file = dir.resolve("tokens");
        AccessTokens tokens = AccessSetup.forWorker(file, Optional.empty(), Optional.of(""));
        assertFalse(Files.exists(file));
        assertEquals(Decision.UNAUTHENTICATED, new RepositoryTokens(() -> tokens).check("Bearer " + ADMIN));
    }
}
