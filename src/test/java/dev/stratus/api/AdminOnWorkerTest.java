package dev.stratus.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.stratus.testing.SampleModelsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A worker process does not serve the admin API: it belongs to the control service. */
@QuarkusTest
@QuarkusTestResource(SampleModelsResource.class)
class AdminOnWorkerTest {
    @Test
    void adminApiIsNotOnWorkers() {
        given().get("/admin/v1/profiles/ocr-cls").then().statusCode(404)
                .body("error", containsString("control service"));
    }
}
