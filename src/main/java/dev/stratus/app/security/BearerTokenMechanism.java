package dev.stratus.app.security;

import dev.stratus.security.Bearer;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer TOKEN} on admin API requests and hands the token to
 * {@link TokenIdentityProvider}. Other paths are left anonymous: inference and health stay open (the gateway
 * checks per-model tokens itself), and a client's unrelated token cannot make them fail.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext ctx, IdentityProviderManager identities) {
        if (!AdminAccessPolicy.isAdminPath(ctx.normalizedPath())) {
            return Uni.createFrom().nullItem();
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem(); // anonymous: the admin policy answers with the challenge
        }
        String token = Bearer.token(header);
        if (token == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the Authorization header must be 'Bearer TOKEN'"));
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(token, "bearer")), ctx));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", Bearer.CHALLENGE));
    }

    /** The challenge with an explanation in the protocol's error body (Quarkus would send an empty one). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String message = context.request().getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "the admin API needs a token: send 'Authorization: Bearer TOKEN' (on this machine, './stratus "
                        + "token' prints the local admin token)"
                : "the bearer token is not valid here (or the header is not 'Authorization: Bearer TOKEN')";
        AdminAuthErrors.send(context, 401, message);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                Bearer.SCHEME.toLowerCase()));
    }
}
