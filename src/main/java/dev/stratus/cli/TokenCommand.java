package dev.stratus.cli;

import dev.stratus.security.TokenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stratus token}: prints this machine's admin token (creating the token file as {@code stratus serve}
 * would on first start), for clients of the admin API:
 * {@code curl -H "Authorization: Bearer $(./stratus token)" localhost:8080/admin/v1/plan}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print the local admin API token (created in the token file when there is none yet).",
                "Use it as: curl -H \"Authorization: Bearer $(./stratus token)\" localhost:8080/admin/v1/plan"})
public class TokenCommand implements Callable<Integer> {
    @Option(names = "--tokens", paramLabel = "FILE",
            description = "Token file (default: ~/.config/stratus/tokens, as for serve).")
    Path tokens;

    @Override
    public Integer call() {
        Path file = tokens != null ? tokens : TokenFile.defaultPath();
        try {
            System.out.println(TokenFile.createIfMissing(file));
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("token file " + file + ": " + e.getMessage());
        }
    }
}
