package dev.stratus.operator.crd;

import dev.stratus.resource.InferenceModelSpec;
import dev.stratus.resource.InferenceModelStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The InferenceModel custom resource: its spec and status are the resource package's types. */
@Group("stratus.dev")
@Version("v1alpha1")
@ShortNames({"im", "imodel"})
@AdditionalPrinterColumn(name = "SLO-ms", jsonPath = ".spec.slo.latencyMs", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas.serving",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Standby", jsonPath = ".status.replicas.standby",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Attainment", jsonPath = ".status.observed.attainment",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Cost/h", jsonPath = ".status.costPerHour", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class InferenceModel extends CustomResource<InferenceModelSpec, InferenceModelStatus> implements Namespaced {
}
