package dev.stratus.operator.crd;

import dev.stratus.resource.Kinds;
import dev.stratus.resource.Maximum;
import dev.stratus.resource.Minimum;
import dev.stratus.resource.Required;
import dev.stratus.resource.RequiredUnless;
import dev.stratus.resource.SchemaPattern;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds the resource types' own constraints ({@link Minimum}, {@link Maximum}, {@link SchemaPattern},
 * {@link Required}, {@link RequiredUnless}) to the
 * generated CRD schemas, so that {@code kubectl apply} refuses what the local reader refuses. The spec types carry
 * plain annotations (no Kubernetes library); this post-processor, run by the CRD generator at build time
 * ({@code quarkus.operator-sdk.crd.post-processor}), is where they meet the schema.
 */
public class SchemaConstraints implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition c && Kinds.GROUP.equals(c.getSpec().getGroup())) {
            Class<?> spec = Kinds.specType(c.getSpec().getNames().getKind());
            c.getSpec().getVersions().forEach(v -> apply(spec,
                    v.getSchema().getOpenAPIV3Schema().getProperties().get("spec")));
        }
        return crd;
    }

    /** Walks a record type and its schema together, setting the annotated bounds. */
    static void apply(Class<?> type, JSONSchemaProps schema) {
        if (schema == null || !type.isRecord()) {
            return;
        }
        List<String> required = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            JSONSchemaProps p = schema.getProperties() == null ? null : schema.getProperties().get(c.getName());
            if (p == null) {
                continue;
            }
            if (c.isAnnotationPresent(Required.class)) {
                required.add(c.getName());
            }
            RequiredUnless unless = c.getAnnotation(RequiredUnless.class);
            if (unless != null) {
                // Structural schemas allow value validations (required, pattern) inside anyOf, on fields the
                // schema also declares outside it.
                schema.setAnyOf(List.of(new JSONSchemaPropsBuilder().withRequired(c.getName()).build(),
                        new JSONSchemaPropsBuilder().addToProperties(unless.field(), new JSONSchemaPropsBuilder()
                                .withPattern(unless.pattern()).build()).build()));
            }
            Minimum min = c.getAnnotation(Minimum.class);
            if (min != null) {
                p.setMinimum(min.value());
                p.setExclusiveMinimum(min.exclusive() ? true : null);
            }
            Maximum max = c.getAnnotation(Maximum.class);
            if (max != null) {
                p.setMaximum(max.value());
                p.setExclusiveMaximum(max.exclusive() ? true : null);
            }
            SchemaPattern pattern = c.getAnnotation(SchemaPattern.class);
            if (pattern != null) {
                p.setPattern(pattern.value());
            }
            Class<?> element = elementType(c.getGenericType());
            if (List.class.isAssignableFrom(c.getType())) {
                apply(element, p.getItems() == null ? null : p.getItems().getSchema());
            } else if (!Map.class.isAssignableFrom(c.getType())) {
                apply(c.getType(), p);
            }
        }
        if (!required.isEmpty()) {
            schema.setRequired(required.stream().sorted().toList());
        }
    }

    private static Class<?> elementType(Type t) {
        if (t instanceof ParameterizedType pt && pt.getActualTypeArguments().length == 1
                && pt.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }
}
