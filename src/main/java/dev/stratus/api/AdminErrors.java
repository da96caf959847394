package dev.stratus.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.stratus.profiles.ProfileException;
import dev.stratus.profiling.ProfilingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every admin API error as {@code {"error": "..."}} with the right status; malformed bodies name the field. */
public class AdminErrors {

    @ServerExceptionMapper
    public Response profiling(ProfilingException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response storedProfile(ProfileException e) {
        return error(500, "stored profile unreadable: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return error(400, "unknown field '" + e.getPropertyName() + "'" + where(e) + "; known fields: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    }

    /** More specific than Quarkus' own mapper for it, which answers 400 with an empty body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return badField(e);
    }

    @ServerExceptionMapper
    public Response badField(JsonMappingException e) {
        return error(400, "invalid value" + where(e) + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return error(400, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonMappingException m) {
            return badField(m);
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return badJson(j);
        }
        int status = e.getResponse().getStatus();
        if (status == 415) {
            return error(status, "Unsupported Media Type: send the body as JSON (Content-Type: application/json)");
        }
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? Response.Status.fromStatusCode(status) + "" : e.getMessage();
        return error(status, message);
    }

    private static String where(JsonMappingException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "" : " at " + path;
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
}
