package dev.stratus.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a status only when it differs from the stored one. With server-side apply (production) the patch is a
 * fresh object carrying only identity and status, as SSA wants; without it (the mock API server of the tests) it is
 * the resource itself, patched as JSON.
 */
final class StatusWriter {
    private StatusWriter() {
    }

    static <S, R extends CustomResource<?, S>> UpdateControl<R> write(R resource, S status, boolean ssa,
            Supplier<R> fresh) {
        if (status == null || Objects.equals(status, resource.getStatus())) {
            return UpdateControl.noUpdate();
        }
        if (ssa) {
            R patch = fresh.get();
            patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace()).build());
            patch.setStatus(status);
            return UpdateControl.patchStatus(patch);
        }
        resource.setStatus(status);
        return UpdateControl.patchStatus(resource);
    }
}
