package dev.stratus.operator.crd;

import dev.stratus.resource.InferencePipelineSpec;
import dev.stratus.resource.InferencePipelineStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The InferencePipeline custom resource. */
@Group("stratus.dev")
@Version("v1alpha1")
@ShortNames({"ip", "ipipe"})
@AdditionalPrinterColumn(name = "SLO-ms", jsonPath = ".spec.sloMs", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Stages", jsonPath = ".spec.stages", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class InferencePipeline extends CustomResource<InferencePipelineSpec, InferencePipelineStatus>
        implements Namespaced {
}
