package dev.stratus.operator.crd;

import dev.stratus.resource.AcceleratorPoolSpec;
import dev.stratus.resource.AcceleratorPoolStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The AcceleratorPool custom resource. */
@Group("stratus.dev")
@Version("v1alpha1")
@ShortNames({"ap", "apool"})
@AdditionalPrinterColumn(name = "Tier", jsonPath = ".spec.tier", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Site", jsonPath = ".spec.site", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Hardware", jsonPath = ".spec.hardwareId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "In-use", jsonPath = ".status.replicasInUse", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max", jsonPath = ".spec.maxReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Cost/h", jsonPath = ".status.costPerHour", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
// An edge pool at a site: whether that site's gateway (a Deployment the operator makes) is available.
@AdditionalPrinterColumn(name = "Site-Gateway",
        jsonPath = ".status.conditions[?(@.type==\"SiteGatewayReady\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class AcceleratorPool extends CustomResource<AcceleratorPoolSpec, AcceleratorPoolStatus> implements Namespaced {
}
