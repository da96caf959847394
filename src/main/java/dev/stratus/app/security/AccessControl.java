package dev.stratus.app.security;

import dev.stratus.config.StratusConfig;
import dev.stratus.dataplane.gateway.InferenceAccess;
import dev.stratus.security.AccessSetup;
import dev.stratus.security.AccessTokens;
import dev.stratus.security.InferenceTokens;
import dev.stratus.security.TokenFile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The access tokens of the control service, set up before anything else starts (see {@link AccessSetup}):
 * the admin API's identities come from here, and so does the gateway's per-model inference check. A worker holds
 * no tokens: it serves no admin API.
 */
@ApplicationScoped
public class AccessControl {
    private static final Logger LOG = Logger.getLogger(AccessControl.class);

    @Inject
    StratusConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    private volatile AccessTokens tokens = AccessTokens.NONE;

    /** Runs first among start-up observers: a service that must not start stops before it plans or spawns. */
    void start(@Observes @Priority(1) StartupEvent event) {
        if (!servesAdminApi()) {
            return;
        }
        Path file = tokenFile();
        AccessSetup.Result result;
        try {
            result = AccessSetup.prepare(file, config.security().adminToken(), config.security().viewerToken(), host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token file " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        tokens = result.tokens();
        if (result.generatedAdminToken().isPresent()) {
            LOG.infof("admin API: generated an admin token in %s (readable by you only): %s%n  Send it as "
                    + "'Authorization: Bearer TOKEN'; './stratus token' prints it again.", file,
                    result.generatedAdminToken().get());
        } else {
            LOG.infof("admin API: %d admin and %d viewer token(s) (token file %s)", tokens.count(AccessTokens.ADMIN),
                    tokens.count(AccessTokens.VIEWER), file);
        }
        if (TokenFile.readableByOthers(file)) {
            LOG.warnf("other users can read the token file %s: make it readable by its owner only (chmod 600; for a "
                    + "Kubernetes Secret volume, defaultMode: 0400)", file);
        }
    }

    /**
     * Every role but the worker's (which answers 404 for it) and the CLI's (no server) serves the admin API and
     * so needs tokens: a role added later is protected unless it is explicitly left out here.
     */
    public boolean servesAdminApi() {
        return !"worker".equals(config.role()) && !"none".equals(config.role());
    }

    public AccessTokens tokens() {
        return tokens;
    }

    /** The gateway's per-model check, on the tokens in force. */
    public InferenceAccess inferenceAccess() {
        return new InferenceTokens(this::tokens);
    }

    private Path tokenFile() {
        return config.security().tokensFile().map(Path::of).orElseGet(TokenFile::defaultPath);
    }
}
