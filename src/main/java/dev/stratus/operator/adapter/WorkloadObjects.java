package dev.stratus.operator.adapter;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** Security settings every pod the operator creates gets (the restricted Pod Security Standard). */
final class WorkloadObjects {
    private WorkloadObjects() {
    }

    static SecurityContext restricted() {
        return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().build();
    }

    static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder().withRunAsNonRoot(true).withNewSeccompProfile()
                .withType("RuntimeDefault").endSeccompProfile().build();
    }
}
