package dev.stratus.operator.adapter;

import dev.stratus.core.model.profile.Profile;
import dev.stratus.core.port.ProfileStore;
import dev.stratus.operator.Labels;
import dev.stratus.profiles.ProfileDocuments;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Profiles in the cluster: one ConfigMap per model and hardware class ({@code stratus-profile-<model>-<hw>}, key
 * {@code profile.yaml}, the same YAML as {@code profiles/<model>/<hw>.yaml}). A ConfigMap because a profile is a
 * few kilobytes, readable with kubectl, survives operator restarts and needs no volume; the profiling Job writes it
 * through this same class. Reads come from a watch-fed cache (the planner reads profiles on every plan), parsed
 * once per change; a malformed profile is logged and ignored rather than failing every plan.
 */
public final class KubernetesProfileStore implements ProfileStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubernetesProfileStore.class);
    public static final String KEY = "profile.yaml";
    public static final String PROFILE_LABEL = "stratus.dev/profile";

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Profile> cache = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SharedIndexInformer<ConfigMap> informer;

    public KubernetesProfileStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Starts the watch (the operator's store); a store used only to save (the profiling Job) need not. */
    public KubernetesProfileStore watch() {
        informer = client.configMaps().inNamespace(namespace).withLabel(PROFILE_LABEL, "true")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap cm) {
                        put(cm);
                    }

                    @Override
                    public void onUpdate(ConfigMap old, ConfigMap cm) {
                        put(cm);
                    }

                    @Override
                    public void onDelete(ConfigMap cm, boolean unknown) {
                        cache.values().removeIf(p -> name(p.model(), p.hardwareId())
                                .equals(cm.getMetadata().getName()));
                        listeners.forEach(Runnable::run);
                    }
                });
        return this;
    }

    /** Called when a profile appears, changes or goes. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void put(ConfigMap cm) {
        String text = cm.getData() == null ? null : cm.getData().get(KEY);
        if (text == null) {
            return;
        }
        try {
            Profile p = ProfileDocuments.fromYaml(text, "ConfigMap " + cm.getMetadata().getName());
            cache.put(p.model() + "@" + p.hardwareId(), p);
            listeners.forEach(Runnable::run);
        } catch (RuntimeException e) {
            LOG.warnf("ConfigMap %s: not a usable profile, ignored: %s", cm.getMetadata().getName(), e.getMessage());
        }
    }

    public static String name(String model, String hardwareId) {
        return Labels.dnsName("stratus-profile-", model + "-" + hardwareId, 63);
    }

    @Override
    public Optional<Profile> find(String model, String hardwareId) {
        return Optional.ofNullable(cache.get(model + "@" + hardwareId));
    }

    @Override
    public List<Profile> forModel(String model) {
        List<Profile> out = new ArrayList<>();
        cache.values().stream().filter(p -> p.model().equals(model))
                .sorted(java.util.Comparator.comparing(Profile::hardwareId)).forEach(out::add);
        return out;
    }

    @Override
    public List<String> models() {
        TreeSet<String> models = new TreeSet<>();
        cache.values().forEach(p -> models.add(p.model()));
        return List.copyOf(models);
    }

    /** Creates or replaces the profile's ConfigMap. */
    @Override
    public void save(Profile profile) {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata()
                .withName(name(profile.model(), profile.hardwareId())).withNamespace(namespace)
                .addToLabels(PROFILE_LABEL, "true").addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
                .addToLabels(Labels.MODEL, Labels.dnsName("", profile.model(), 63))
                .addToLabels(Labels.HARDWARE, Labels.dnsName("", profile.hardwareId(), 63))
                .endMetadata().addToData(KEY, ProfileDocuments.toYaml(profile)).build();
        client.configMaps().inNamespace(namespace).resource(cm).createOr(c -> c.update());
        cache.put(profile.model() + "@" + profile.hardwareId(), profile);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
