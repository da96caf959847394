/**
 * The resource types users write (AcceleratorPool, InferenceModel, InferencePipeline specs, and their statuses),
 * bound by Jackson. The local reader (files, admin API bodies) and the operator's custom resources use these same
 * types, so one schema serves both modes. No Kubernetes library here: schema constraints are plain annotations
 * ({@link dev.stratus.resource.Minimum}, ...) that the operator's CRD post-processor reads.
 */
package dev.stratus.resource;
