package dev.stratus.app.security;

import dev.stratus.security.AccessTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/** Turns a bearer token into an identity whose roles are those the token grants ({@link AccessTokens}). */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    @Inject
    AccessControl access;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        // One SHA-256 of a short token and a few constant-time compares: cheap enough for the event loop.
        Set<String> roles = access.tokens().rolesOf(request.getToken().getToken());
        if (roles.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the bearer token is not valid here"));
        }
        String principal = roles.contains(AccessTokens.ADMIN) ? AccessTokens.ADMIN
                : roles.contains(AccessTokens.VIEWER) ? AccessTokens.VIEWER : roles.iterator().next();
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal))
                .addRoles(roles).addCredential(request.getToken()).build());
    }
}
