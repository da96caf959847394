package dev.stratus.resource;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The spec of an AcceleratorPool: a class of capacity the planner places replicas on. The same type is read from
 * local YAML files and admin API bodies and is the {@code spec} of the Kubernetes resource, so both modes share
 * one schema. Placement fields (resources, node selector, tolerations) are used only on Kubernetes.
 */
@JsonClassDescription("A class of capacity (hardware, price, size) the planner may place model replicas on.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AcceleratorPoolSpec(
        @Required
        @JsonPropertyDescription("edge (next to the clients) or cloud.")
        PoolTier tier,
        @JsonPropertyDescription("Where the pool is: a region (informational), or with tier edge the edge site, "
                + "whose own gateway serves the pool's replicas.")
        String site,
        @JsonPropertyDescription("Accelerator type, informational: cpu, nvidia-t4, nvidia-h100, ...")
        String accelerator,
        @Required
        @JsonPropertyDescription("Hardware class whose profiles apply (profiles/<model>/<hardwareId>.yaml); "
                + "\"auto\" on the local backend means this machine.")
        @SchemaPattern("^[a-z0-9][a-z0-9.-]*$")
        String hardwareId,
        @JsonPropertyDescription("Multiplies every profiled latency (a faster class derived from a measured one). "
                + "Default: 1.")
        @Minimum(value = 0, exclusive = true)
        Double latencyScale,
        @Required
        @JsonPropertyDescription("Price of one replica per hour (any currency, used consistently).")
        @Minimum(0)
        Double costPerHour,
        @Required
        @JsonPropertyDescription("Replicas the pool can hold, shared by every model placed there.")
        @Minimum(1)
        Integer maxReplicas,
        @JsonPropertyDescription("Round trip between the pool and its clients, in milliseconds, charged against "
                + "every SLO served here. Default: 0.")
        @Minimum(0)
        Double networkRttMs,
        @Required
        @JsonPropertyDescription("Memory of one replica in MB, shared by the models co-located on it.")
        @Minimum(value = 0, exclusive = true)
        Double memoryMb,
        @JsonPropertyDescription("Kubernetes only: compute resources of one replica.")
        ReplicaResources resources,
        @JsonPropertyDescription("Kubernetes only: node labels the pool's pods are scheduled on.")
        Map<String, String> nodeSelector,
        @JsonPropertyDescription("Kubernetes only: taints of the pool's nodes that its pods tolerate.")
        List<Toleration> tolerations) implements ResourceSpec {

    public AcceleratorPoolSpec {
        nodeSelector = nodeSelector == null ? null : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? null : List.copyOf(tolerations);
    }
}
