package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one replica of a pool asks Kubernetes for; the local backend ignores it. */
@JsonClassDescription("Compute resources of one replica (pod) of the pool; ignored by the local backend.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicaResources(
        @JsonPropertyDescription("CPU request and limit, a Kubernetes quantity (\"2\", \"500m\"). Default: 1.")
        @SchemaPattern("^([0-9]+(\\.[0-9]+)?|[0-9]+m)$")
        String cpu,
        @JsonPropertyDescription("Memory request and limit, a Kubernetes quantity (\"4Gi\"). Default: the pool's "
                + "memoryMb.")
        @SchemaPattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$")
        String memory,
        @JsonPropertyDescription("Extended resource name of the accelerator, e.g. nvidia.com/gpu.")
        String acceleratorResource,
        @JsonPropertyDescription("Accelerators per replica (the limit on acceleratorResource). Default: 1 when "
                + "acceleratorResource is set.")
        @Minimum(1)
        Integer acceleratorsPerReplica) {
}
