package dev.stratus.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Marks the admin API's security in the OpenAPI document, in one place for every operation under
 * {@code /admin} (present and future resources alike, as the access policy covers them by path): the bearer
 * scheme, its requirement on each operation, and the 401 and 403 answers. Registered by
 * {@code mp.openapi.filter} in application.properties.
 */
public class AdminApiSecurityFilter implements OASFilter {
    public static final String SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A token from the token file or the environment (docs/security.md): role viewer reads "
                        + "(GET), role admin also changes resources, plans what-ifs and starts profiling. On the "
                        + "machine running the service, './stratus token' prints the local admin token."));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/admin")) {
                continue;
            }
            for (Operation op : path.getValue().getOperations().values()) {
                op.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
                APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses()
                        : op.getResponses();
                responses.addAPIResponse("401", OASFactory.createAPIResponse()
                        .description("No token, or not a valid one: {\"error\": \"...\"} and a Bearer challenge"));
                responses.addAPIResponse("403", OASFactory.createAPIResponse()
                        .description("The token's role may not do this (a viewer token on a change)"));
                op.setResponses(responses);
            }
        }
    }
}
