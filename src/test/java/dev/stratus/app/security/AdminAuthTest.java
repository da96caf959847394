package dev.stratus.app.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.api.ControllerProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API over real HTTP in the control-service role: no token or a wrong one is 401 with a challenge and
 * an error body, a viewer reads but may not change (403), an admin may; health, metrics and OpenAPI stay open.
 */
@QuarkusTest
@TestProfile(ControllerProfile.class)
class AdminAuthTest {
    static final String ADMIN = ControllerProfile.ADMIN_TOKEN;

    @TestHTTPResource("/")
    URL base;
    static final String VIEWER = ControllerProfile.VIEWER_TOKEN;

    static RequestSpecification as(String token) {
        return token == null ? given() : given().header("Authorization", "Bearer " + token);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "GET  | /admin/v1/profiles",
            "GET  | /admin/v1/fleet",
            "GET  | /admin/v1/models",
            "POST | /admin/v1/profiles",
            "POST | /admin/v1/plan/what-if",
            "PUT  | /admin/v1/models/vad",
            "DELETE | /admin/v1/pools/local-cpu",
            "GET  | /admin/v1/some-future-endpoint"
    })
    void withoutATokenEveryAdminPathIs401(String method, String path) {
        given().contentType("application/json").body("{}").request(method, path).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"stratus\"")
                .body("error", containsString("Authorization: Bearer"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong token, same length as the admin one  | Bearer test-admin-token-0123456780",
            "admin token with a character more          | Bearer test-admin-token-01234567890",
            "admin token's prefix                       | Bearer test-admin-token",
            "another scheme                             | Basic dGVzdDp0ZXN0",
            "the token without a scheme                 | test-admin-token-0123456789",
            "empty bearer                               | 'Bearer '"
    })
    void aWrongTokenIs401(String what, String header) {
        given().header("Authorization", header).get("/admin/v1/profiles").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"stratus\"")
                .body("error", containsString("not valid"));
    }

    @Test
    void aViewerReadsButDoesNotChange() {
        as(VIEWER).get("/admin/v1/profiles").then().statusCode(200);
        as(VIEWER).contentType("application/json").body("{\"model\":\"vad\"}").post("/admin/v1/profiles").then()
                .statusCode(403).body("error", containsString("admin token"));
        as(VIEWER).contentType("application/json").body("{}").put("/admin/v1/models/vad").then().statusCode(403);
        as(VIEWER).delete("/admin/v1/models/vad").then().statusCode(403);
    }

    @Test
    void anAdminReadsAndChanges() {
        as(ADMIN).get("/admin/v1/profiles").then().statusCode(200);
        // Past the access check: the request itself is judged (here, refused as incomplete).
        as(ADMIN).contentType("application/json").body("{}").post("/admin/v1/profiles").then().statusCode(400)
                .body("error", equalTo("model: required"));
    }

    @Test
    void pathTricksDoNotBypassTheCheck() {
        given().urlEncodingEnabled(false).get("/q/../admin/v1/profiles").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/admin/v1/./profiles").then().statusCode(401);
        given().urlEncodingEnabled(false).get("/admin/v1/%70rofiles").then().statusCode(401);
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
    }

    @Test
    void openApiMarksTheSecurityScheme() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/admin/v1/profiles'.post.security[0]", hasKey("bearer"))
                .body("paths.'/admin/v1/fleet'.get.security[0]", hasKey("bearer"))
                .body("paths.'/admin/v1/profiles'.post.responses", hasKey("401"))
                .body("paths.'/admin/v1/profiles'.post.responses", hasKey("403"));
    }

    @Test
    void adminBodiesAreBounded() throws Exception {
        byte[] big = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        as(ADMIN).contentType("application/json").body(big).post("/admin/v1/profiles").then().statusCode(413)
                .body("error", containsString("stratus.security.max-admin-body-bytes"));
        // A body of unknown length (chunked) could only be measured by reading it: refused.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base + "admin/v1/profiles"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                            "{\"model\":\"vad\"}".getBytes(StandardCharsets.UTF_8)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(411, chunked.statusCode(), chunked.body());
            assertTrue(chunked.body().contains("Content-Length"), chunked.body());
        }
    }
}
