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
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The access tokens of the control service, set up before anything else starts (see {@link AccessSetup}):
 * the admin API's identities come from here, and so does the gateway's per-model inference check. A worker serves no
 * admin API; it reads the same sources (never generating a token) for its model repository endpoints.
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
        if ("worker".equals(config.role())) {
            startWorker();
            return;
        }
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
     * A worker's tokens guard only its model repository endpoints: a file it cannot read leaves them closed (no
     * token matches) rather than stopping the worker, which still serves inference.
     */
    private void startWorker() {
        Path file = tokenFile();
        try {
            tokens = AccessSetup.forWorker(file, config.security().adminToken(), config.security().viewerToken());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            LOG.errorf("model repository endpoints closed: cannot read the token file %s: %s", file, e.getMessage());
            return;
        }
        LOG.infof("model repository endpoints: %d admin token(s) (token file %s, STRATUS_SECURITY_ADMIN_TOKEN)",
                tokens.count(AccessTokens.ADMIN), file);
    }

    /**
     * The admin token this service sends to the workers it starts (their model repository endpoints), in clear:
     * the token file's first (the workers are given that file), else the one given directly (the workers inherit the
     * environment); none when only viewer tokens exist.
     */
    public Optional<String> workerAdminToken() {
        Optional<String> direct = config.security().adminToken().filter(t -> !t.isBlank()).map(String::strip);
        try {
            return TokenFile.adminToken(tokenFile()).or(() -> direct);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("cannot read an admin token for the workers from %s: %s", tokenFile(), e.getMessage());
            return direct;
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

    /** The token file in force (configured, else the default path), which the local workers read too. */
    public Path tokenFile() {
        return config.security().tokensFile().map(Path::of).orElseGet(TokenFile::defaultPath);
    }
}
