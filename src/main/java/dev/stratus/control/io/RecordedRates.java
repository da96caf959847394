package dev.stratus.control.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stratus.control.ServiceSpec;
import dev.stratus.core.model.plan.ModelDemand;
import dev.stratus.core.model.plan.PlanRequest;
import dev.stratus.core.port.StateStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rates the plan in force was made for, kept in the state store while the service runs, so that a control
 * service restarted after a crash plans for the load it was serving (and keeps the replicas it adopts) rather
 * than for the resources' expected rates. A clean stop removes them: the next start plans from the resources.
 */
public final class RecordedRates {
    public static final String KEY = "rates";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private Map<String, Double> written = Map.of();

    public RecordedRates(StateStore store) {
        this.store = store;
    }

    /** The rates recorded by a previous run that did not stop cleanly, if any (unreadable ones are ignored). */
    public Map<String, Double> read() {
        Map<String, Double> rates = new LinkedHashMap<>();
        store.read(KEY).ifPresent(text -> {
            try {
                JsonNode node = JSON.readTree(text);
                node.fields().forEachRemaining(e -> {
                    if (e.getValue().isNumber() && e.getValue().asDouble() >= 0) {
                        rates.put(e.getKey(), e.getValue().asDouble());
                    }
                });
            } catch (Exception e) {
                // a damaged record only costs the adopted replicas a re-plan from the expected rates
            }
        });
        return rates;
    }

    /** Records the rates when they changed since the last write. */
    public synchronized void write(Map<String, Double> rates) {
        if (rates.equals(written)) {
            return;
        }
        store.write(KEY, JSON.valueToTree(rates).toPrettyString());
        written = Map.copyOf(rates);
    }

    /** After a clean stop there is nothing to resume. */
    public synchronized void clear() {
        store.delete(KEY);
        written = Map.of();
    }

    /** The spec with each model's expected rate replaced by its recorded one (models not recorded keep theirs). */
    public static ServiceSpec apply(ServiceSpec spec, Map<String, Double> rates) {
        if (rates.isEmpty()) {
            return spec;
        }
        List<ModelDemand> models = spec.request().models().stream().map(m -> rates.containsKey(m.name())
                ? new ModelDemand(m.name(), m.slo(), rates.get(m.name()), m.allowedPools(), m.edgePreference(),
                m.memoryMb(), m.maxBatch()) : m).toList();
        return new ServiceSpec(new PlanRequest(spec.request().pools(), models, spec.request().pipelines()),
                spec.scaling());
    }
}
