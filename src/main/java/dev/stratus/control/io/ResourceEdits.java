package dev.stratus.control.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stratus.core.port.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API's changes to the resources, kept in the state store so that they survive a restart. Per resource
 * (kind and name) the last document put through the API, or its deletion; at start they are applied over the
 * files of the configuration directory: an edited resource replaces the file's, an added one joins, a deleted one
 * is left out. The files themselves are never rewritten (they may be under version control, with comments).
 * Each change is stored whole and atomically.
 */
public final class ResourceEdits implements ResourceSet.Recorder {
    public static final String KEY = "resources";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private final String origin;
    /** Resources the files define, by kind/name: deleting one of those must be remembered, others just forgotten. */
    private final List<String> inFiles;
    /** kind/name -> the document, or null for a deletion; in order of first edit. */
    private final Map<String, ResourceReader.Resource> edits = new LinkedHashMap<>();

    private ResourceEdits(StateStore store, String origin, List<ResourceReader.Resource> files) {
        this.store = store;
        this.origin = origin;
        this.inFiles = files.stream().map(r -> key(r.kind(), r.name())).toList();
    }

    /**
     * The stored edits over these files' resources.
     *
     * @param origin where the store is, for messages (e.g. the state file's path)
     * @throws ResourceException when a stored edit no longer reads as a resource (naming it and the store)
     */
    public static ResourceEdits load(StateStore store, String origin, List<ResourceReader.Resource> files) {
        ResourceEdits e = new ResourceEdits(store, origin, files);
        String text = store.read(KEY).orElse(null);
        if (text == null) {
            return e;
        }
        JsonNode stored;
        try {
            stored = JSON.readTree(text);
        } catch (JsonProcessingException ex) {
            throw new ResourceException(origin + ": not valid JSON (" + ex.getOriginalMessage() + "); delete it to "
                    + "start from the configuration files alone");
        }
        int index = 0;
        for (JsonNode edit : stored.path("edits")) {
            index++;
            String where = origin + " (edit " + index + ")";
            String kind = edit.path("kind").asText();
            String name = edit.path("name").asText();
            if (edit.path("deleted").asBoolean(false)) {
                e.edits.put(key(kind, name), null);
            } else {
                ResourceReader.Resource r = ResourceReader.parseOne(edit.path("document").toString(), where);
                e.edits.put(key(r.kind(), r.name()), r);
            }
        }
        return e;
    }

    /** The files' resources with the edits applied, in file order, additions last. */
    public List<ResourceReader.Resource> applyTo(List<ResourceReader.Resource> files) {
        List<ResourceReader.Resource> out = new ArrayList<>();
        for (ResourceReader.Resource r : files) {
            String k = key(r.kind(), r.name());
            if (!edits.containsKey(k)) {
                out.add(r);
            } else if (edits.get(k) != null) {
                out.add(edits.get(k));
            }
        }
        edits.forEach((k, r) -> {
            if (r != null && !inFiles.contains(k)) {
                out.add(r);
            }
        });
        return out;
    }

    /** How many resources the edits change, for the start-up log. */
    public int size() {
        return edits.size();
    }

    @Override
    public synchronized void put(ResourceReader.Resource resource) {
        Map<String, ResourceReader.Resource> next = new LinkedHashMap<>(edits);
        next.put(key(resource.kind(), resource.name()), resource);
        save(next);
    }

    @Override
    public synchronized void delete(String kind, String name) {
        Map<String, ResourceReader.Resource> next = new LinkedHashMap<>(edits);
        if (inFiles.contains(key(kind, name))) {
            next.put(key(kind, name), null);
        } else {
            next.remove(key(kind, name)); // only ever added through the API: nothing left to remember
        }
        save(next);
    }

    /** Stores the new edits (atomically), then adopts them; a failed write changes nothing. */
    private void save(Map<String, ResourceReader.Resource> next) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("edits");
        next.forEach((k, r) -> {
            String[] kn = k.split("/", 2);
            ObjectNode e = list.addObject().put("kind", kn[0]).put("name", kn[1]);
            if (r == null) {
                e.put("deleted", true);
            } else {
                e.set("document", ResourceReader.document(r));
            }
        });
        store.write(KEY, doc.toPrettyString());
        edits.clear();
        edits.putAll(next);
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    @Override
    public String toString() {
        return origin;
    }
}
