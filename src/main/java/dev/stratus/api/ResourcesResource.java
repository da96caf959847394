package dev.stratus.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stratus.app.ControlRole;
import dev.stratus.control.io.ResourceSet;
import dev.stratus.control.io.ResourceException;
import dev.stratus.control.io.ResourceReader;
import dev.stratus.core.planning.PlanningException;
import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.SourceSpec;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Pools, models and pipelines as documents ({@code apiVersion: stratus.dev/v1alpha1}, kind, metadata.name, spec),
 * listed, read, created or replaced ({@code PUT}, like {@code kubectl apply}) and deleted. A change is planned
 * at once and applied by the control loop; one that does not validate (400, the field named) or cannot be
 * planned (422, the model and constraint named) changes nothing.
 */
@Path("/admin/v1/{collection: pools|models|pipelines}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "resources", description = "AcceleratorPool, InferenceModel and InferencePipeline documents")
public class ResourcesResource {
    private static final Map<String, String> KINDS = Map.of("pools", "AcceleratorPool", "models", "InferenceModel",
            "pipelines", "InferencePipeline");

    @Inject
    ControlRole role;

    @GET
    @Operation(summary = "Every resource of the collection")
    public List<JsonNode> list(@PathParam("collection") String collection) throws ApiException {
        return resources().ofKind(KINDS.get(collection)).stream().map(ResourceReader::document).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One resource")
    @APIResponse(responseCode = "404", description = "No such resource")
    public JsonNode get(@PathParam("collection") String collection, @PathParam("name") String name)
            throws ApiException {
        return resources().find(KINDS.get(collection), name).map(ResourceReader::document)
                .orElseThrow(() -> new ApiException(404, "no " + KINDS.get(collection) + " '" + name + "'"));
    }

    @PUT
    @Path("/{name}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", MediaType.TEXT_PLAIN})
    @Operation(summary = "Create or replace a resource; the service re-plans at once")
    @APIResponse(responseCode = "200", description = "Replaced and applied")
    @APIResponse(responseCode = "201", description = "Created and applied")
    @APIResponse(responseCode = "400", description = "Invalid document: the message names the field")
    @APIResponse(responseCode = "422", description = "Valid, but no feasible plan: nothing changed")
    @APIResponse(responseCode = "503", description = "The change could not be stored to survive a restart: undone")
    public Response put(@PathParam("collection") String collection, @PathParam("name") String name, String body)
            throws ApiException {
        String kind = KINDS.get(collection);
        ResourceReader.Resource resource;
        try {
            resource = ResourceReader.parseOne(body == null ? "" : body, "request body");
        } catch (ResourceException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (!resource.kind().equals(kind) || !resource.name().equals(name)) {
            throw new ApiException(400, "the body is " + resource.kind() + " '" + resource.name() + "' but the path is "
                    + kind + " '" + name + "'");
        }
        if (resource.spec() instanceof InferenceModelSpec model && model.source() != null) {
            // A source is fetched, checked and inspected when the service starts, before its workers exist.
            Optional<SourceSpec> now = resources().find(kind, name).map(r -> ((InferenceModelSpec) r.spec()).source());
            if (!now.filter(model.source()::equals).isPresent()) {
                throw new ApiException(400, kind + " '" + name + "': spec.source: a model's source is read when the "
                        + "service starts; put the document in the config directory and restart (or add the model "
                        + "with ./stratus models add and leave spec.source out)");
            }
        }
        boolean created = change(set -> set.put(resource, spec -> {
            profileMissing(spec, resource.name());
            role.control().orElseThrow().update(spec);
        }));
        return Response.status(created ? 201 : 200).entity(ResourceReader.document(resource)).build();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a resource; the service re-plans at once")
    @APIResponse(responseCode = "204", description = "Deleted and applied")
    @APIResponse(responseCode = "404", description = "No such resource")
    @APIResponse(responseCode = "409", description = "Others depend on it (e.g. the only pool a model may use)")
    public Response delete(@PathParam("collection") String collection, @PathParam("name") String name)
            throws ApiException {
        String kind = KINDS.get(collection);
        boolean deleted = change(set -> set.delete(kind, name, spec -> role.control().orElseThrow().update(spec)));
        if (!deleted) {
            throw new ApiException(404, "no " + kind + " '" + name + "'");
        }
        return Response.noContent().build();
    }

    private boolean change(Change change) throws ApiException {
        try {
            return change.run(resources());
        } catch (ResourceException e) {
            throw new ApiException(400, e.getMessage());
        } catch (PlanningException e) {
            throw new ApiException(422, "no feasible plan with this change, nothing changed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, e.getMessage());
        } catch (ResourceSet.NotRecordedException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    /** A new model is measured on this machine first when it has no profile here (as at start), then planned. */
    private void profileMissing(dev.stratus.control.ServiceSpec spec, String name) {
        try {
            role.profileMissing(spec);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PlanningException(name, "cannot profile the model on this machine: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Change {
        boolean run(ResourceSet set);
    }

    private ResourceSet resources() throws ApiException {
        return role.resources().orElseThrow(() -> new ApiException(503,
                "the control service is starting (or this process is not the controller)"));
    }
}
