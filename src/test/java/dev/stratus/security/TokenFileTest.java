package dev.stratus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void theFileFormatReadsRolesAndIgnoresComments() {
        AccessTokens t = TokenFile.parse("""
                # comment
                admin   aaaaaaaaaaaaaaaaaaaa

                viewer\tbbbbbbbbbbbbbbbbbbbb
                infer:vad cccccccccccccccccccc
                """, "tokens");
        assertEquals(Set.of("admin"), t.rolesOf("aaaaaaaaaaaaaaaaaaaa"));
        assertEquals(Set.of("viewer"), t.rolesOf("bbbbbbbbbbbbbbbbbbbb"));
        assertEquals(Set.of("infer:vad"), t.rolesOf("cccccccccccccccccccc"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "one word          | aaaaaaaaaaaaaaaaaaaa                  | tokens line 2: expected 'ROLE TOKEN'",
            "three words       | admin aaaaaaaaaaaaaaaaaaaa extra      | tokens line 2: expected 'ROLE TOKEN'",
            "unknown role      | superuser aaaaaaaaaaaaaaaaaaaa        | tokens line 2: unknown role 'superuser'",
            "short token       | admin abc                             | tokens line 2: the admin token is shorter"
    })
    void badLinesAreNamed(String what, String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("# first\n" + line + "\n", "tokens"));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aGeneratedFileIsTheOwnersOnlyAndHoldsOneAdminToken() throws Exception {
        Path file = dir.resolve("config/stratus/tokens");
        String token = TokenFile.createIfMissing(file);
        assertEquals(43, token.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(Set.of("admin"), TokenFile.read(file).rolesOf(token));
        assertEquals(token, TokenFile.createIfMissing(file), "a second start keeps the token");
        assertEquals(token, TokenFile.adminToken(file).orElseThrow());
        assertTrue(!TokenFile.readableByOthers(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void startsRacingForTheFileAgreeOnOneToken() throws Exception {
        Path file = dir.resolve("tokens");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = pool.invokeAll(java.util.Collections.nCopies(8,
                    (Callable<String>) () -> TokenFile.createIfMissing(file)));
            Set<String> tokens = new HashSet<>();
            for (Future<String> r : results) {
                tokens.add(r.get());
            }
            assertEquals(1, tokens.size(), tokens.toString());
            assertEquals(tokens.iterator().next(), TokenFile.adminToken(file).orElseThrow());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingFileHoldsNoTokens() throws Exception {
        assertTrue(TokenFile.read(dir.resolve("none")).isEmpty());
        assertTrue(TokenFile.adminToken(dir.resolve("none")).isEmpty());
    }

    @Test
    void theDefaultLivesInTheUsersConfigDirectory() {
        assertTrue(TokenFile.defaultPath().endsWith(Path.of("stratus", "tokens")), TokenFile.defaultPath().toString());
    }
}
