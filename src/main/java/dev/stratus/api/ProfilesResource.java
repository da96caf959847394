package dev.stratus.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.profiling.ProfilingJobs;
import dev.stratus.catalog.ModelCatalog;
import dev.stratus.core.model.ResourceName;
import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.profiles.ProfileDocuments;
import dev.stratus.profiling.MeasurementSettings;
import dev.stratus.profiling.ProfileRequest;
import dev.stratus.profiling.ProfilingException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for profiles: start profiling jobs, follow them, read stored profiles. No logic of its own. */
@Path("/admin/v1/profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles", description = "Measured model profiles and profiling jobs")
public class ProfilesResource {
    @Inject
    ProfilingJobs jobs;

    @Inject
    ProfileStore store;

    @POST
    @Operation(summary = "Start profiling a model on this machine",
            description = "Validates the request, queues a job and answers 202 with its id. Jobs run one at a time.")
    @APIResponse(responseCode = "202", description = "Job queued")
    @APIResponse(responseCode = "400", description = "Invalid model name, batch list, shapes or threads, or a "
            + "request above the profiling limits (the message names the field and the limit)")
    @APIResponse(responseCode = "404", description = "Unknown model")
    @APIResponse(responseCode = "409", description = "Model not fetched yet")
    @APIResponse(responseCode = "429", description = "The profiling queue is full")
    public Response start(ProfileJobRequest body, @Context UriInfo uri) throws ApiException, ProfilingException {
        if (body == null || body.model() == null || body.model().isBlank()) {
            throw new ApiException(400, "model: required");
        }
        requireName(body.model());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (body.inputShapes() != null) {
            body.inputShapes().forEach((name, dims) -> shapes.put(name, dims == null ? new long[0]
                    : dims.stream().mapToLong(d -> d == null ? -1 : d).toArray()));
        }
        MeasurementSettings settings;
        try {
            MeasurementSettings d = MeasurementSettings.DEFAULT;
            settings = new MeasurementSettings(body.windowMs() == null ? d.windowMs() : body.windowMs(),
                    d.minIterations(), body.maxWindows() == null ? d.maxWindows() : body.maxWindows(), d.rule());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        ProfileRequest request = new ProfileRequest(body.model(), body.batches(),
                body.threads() == null ? 0 : body.threads(), shapes, Optional.empty(), settings);
        ProfilingJobs.Job job = jobs.submit(request);
        return Response.accepted(job).location(uri.getBaseUriBuilder().path("/admin/v1/profiles/jobs")
                .path(job.id()).build()).build();
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "Progress of a profiling job")
    @APIResponse(responseCode = "200", description = "The job: state, phase, fraction done, time left, error")
    @APIResponse(responseCode = "404", description = "No such job")
    public ProfilingJobs.Job job(@PathParam("id") String id) throws ApiException {
        return jobs.find(id).orElseThrow(() -> new ApiException(404, "no profiling job '" + id + "'"));
    }

    @GET
    @Operation(summary = "Models that have stored profiles")
    public Map<String, List<String>> models() {
        return Map.of("models", store.models());
    }

    @GET
    @Path("/{model}")
    @Operation(summary = "Stored profiles of a model, one per hardware class")
    @APIResponse(responseCode = "200", description = "{model, profiles: [...]}, empty when never profiled")
    @APIResponse(responseCode = "400", description = "Not a valid model name")
    @APIResponse(responseCode = "404", description = "Unknown model")
    public JsonNode profiles(@PathParam("model") String model) throws ApiException {
        requireName(model);
        List<Profile> stored = store.forModel(model);
        if (stored.isEmpty() && ModelCatalog.bundled().find(model).isEmpty()) {
            throw new ApiException(404, "unknown model '" + model + "': not in the catalog and never profiled");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("model", model);
        var list = out.putArray("profiles");
        for (Profile p : stored) {
            list.add(ProfileDocuments.toTree(p));
        }
        return out;
    }

    /** Model names become file names of the profile store: only DNS-1123 labels are accepted (400). */
    private static void requireName(String model) throws ApiException {
        Optional<String> problem = ResourceName.problem(model);
        if (problem.isPresent()) {
            throw new ApiException(400, "model: " + problem.get());
        }
    }
}
