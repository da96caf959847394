package dev.stratus.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The built-in dashboard's files and its JSON endpoint in the control-service role, before the control loop runs
 * (what a browser sees while the service starts). The page under load, in a real browser: ObservabilityIT.
 */
@QuarkusTest
@TestProfile(ControllerProfile.class)
class DashboardApiTest {

    @Test
    void thePageAndItsFilesComeFromTheJar() {
        given().get("/dashboard").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"/dashboard/dashboard.js\">"))
                .body(not(containsString("http://"))).body(not(containsString("https://")));
        given().get("/dashboard/").then().statusCode(200);
        given().get("/dashboard/dashboard.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("Authorization"));
        given().get("/dashboard/dashboard.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/dashboard/nope.js").then().statusCode(404);
    }

    @Test
    void sloAnswersWithClearErrors() {
        given().get("/admin/v1/slo").then().statusCode(401); // the page is open, its data needs a token
        given().auth().oauth2(ControllerProfile.VIEWER_TOKEN).get("/admin/v1/slo?minutes=0").then().statusCode(400).body("error", containsString("minutes must be "
                + "a whole number 1..30, got '0'"));
        given().auth().oauth2(ControllerProfile.VIEWER_TOKEN).get("/admin/v1/slo?minutes=x").then().statusCode(400).body("error", containsString("got 'x'"));
        given().auth().oauth2(ControllerProfile.VIEWER_TOKEN).get("/admin/v1/slo").then().statusCode(503).body("error", containsString("control service"));
    }

    @Test
    void theSloEndpointIsInOpenApi() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/admin/v1/slo"))
                .body(containsString("errorBudgetRemaining"));
    }
}
