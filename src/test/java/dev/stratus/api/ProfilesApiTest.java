package dev.stratus.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.stratus.core.port.ProfileStore;
import dev.stratus.testing.SampleProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API's profile endpoints in the control-service role: validation, errors, stored profiles, OpenAPI. */
@QuarkusTest
@TestProfile(ControllerProfile.class)
class ProfilesApiTest {

    @Inject
    ProfileStore store;

    static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(ControllerProfile.ADMIN_TOKEN);
    }

    /** Stored through the service's own store, as a profiling job stores its result. */
    @BeforeEach
    void storedProfile() {
        store.save(SampleProfiles.profile("ocr-cls", "cpu-test-2c"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"nope\"}                                  | 404 | unknown model 'nope'",
            "{\"model\":\"wakeword\",\"batches\":[1,2]}            | 400 | batch dimension is fixed",
            "{\"model\":\"ocr-cls\",\"batches\":[]}                | 400 | batch list is empty",
            "{\"model\":\"ocr-cls\",\"batches\":[0]}               | 400 | must be >= 1",
            "{\"model\":\"ocr-cls\",\"batches\":[4,4]}             | 400 | listed twice",
            "{\"model\":\"ocr-cls\",\"batches\":\"x\"}             | 400 | batches",
            "{\"model\":\"ocr-cls\",\"batchs\":[1]}                | 400 | unknown field 'batchs'",
            "{\"model\":\"ocr-cls\",\"threads\":-1}                | 400 | threads must be >= 0",
            "{\"model\":\"ocr-cls\",\"inputShapes\":{\"y\":[1]}}   | 400 | has no input 'y'",
            "{\"model\":\"ocr-cls\",\"inputShapes\":{\"x\":[2,3,48,192]}} | 400 | with 1 on batch axis 0",
            "{\"model\":\"ocr-cls\",\"maxWindows\":1}              | 400 | max windows",
            "{\"model\":                                           | 400 | malformed JSON",
            "[]                                                    | 400 | invalid value",
            "{}                                                    | 400 | model: required",
            "{\"model\":\"../etc\"}                                | 400 | model: '../etc' is not a DNS-1123 label",
            "{\"model\":\"ocr-cls\",\"windowMs\":600000}          | 400 | windowMs: 600000 is above the limit of 60000",
            "{\"model\":\"ocr-cls\",\"maxWindows\":1000}          | 400 | maxWindows: 1000 is above the limit of 50",
            "{\"model\":\"ocr-cls\",\"windowMs\":60000,\"maxWindows\":50} | 400 | stratus.profiling.max-job-seconds",
            "{\"model\":\"ocr-cls\",\"inputShapes\":{\"x\":[1,3,4800,19200]}} | 400 | inputShapes.x: [1, 3, 4800, 19200] at batch 16",
            "{\"model\":\"ocr-cls\",\"inputShapes\":{\"x\":[1,3,9223372036854775807,2]}} | 400 | inputShapes.x"
    })
    void badRequestsGetAClearError(String body, int status, String message) {
        admin().contentType("application/json").body(body).post("/admin/v1/profiles")
                .then().statusCode(status).body("error", containsString(message));
    }

    @Test
    void unknownJobIs404() {
        admin().get("/admin/v1/profiles/jobs/does-not-exist").then().statusCode(404)
                .body("error", containsString("no profiling job"));
    }

    @Test
    void storedProfilesOfAModel() {
        admin().get("/admin/v1/profiles/ocr-cls").then().statusCode(200)
                .body("model", equalTo("ocr-cls"))
                .body("profiles[0].provenance.hardwareId", equalTo("cpu-test-2c"))
                .body("profiles[0].batches[1].batch", equalTo(4));
        admin().get("/admin/v1/profiles").then().statusCode(200).body("models", hasItem("ocr-cls"));
        // Known to the catalog but never profiled: an empty list, not an error.
        admin().get("/admin/v1/profiles/vad").then().statusCode(200).body("profiles.size()", equalTo(0));
        admin().get("/admin/v1/profiles/zzz").then().statusCode(404).body("error", containsString("unknown model"));
        admin().get("/admin/v1/profiles/Bad_Name").then().statusCode(400)
                .body("error", containsString("model: 'Bad_Name' is not a DNS-1123 label"));
    }

    @Test
    void openApiDescribesTheEndpoints() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/admin/v1/profiles"))
                .body("paths", org.hamcrest.Matchers.hasKey("/admin/v1/profiles/jobs/{id}"));
    }

    @Test
    void unsupportedMediaTypeIsAClearError() {
        admin().contentType("text/plain").body("hello").post("/admin/v1/profiles").then().statusCode(415)
                .body("error", containsString("Unsupported Media Type"));
    }
}
