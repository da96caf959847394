package dev.stratus.resource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field that must be set unless a sibling string field matches a pattern: a model source's {@code sha256} is
 * required unless its {@code uri} is a local path. Checked by {@link SpecConstraints}; the CRD schema post-processor
 * writes it as {@code anyOf: [{required: [field]}, {properties: {sibling: {pattern}}}]}, which a structural schema
 * allows, so that {@code kubectl apply} refuses what the local reader refuses.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface RequiredUnless {
    /** The sibling field, e.g. {@code uri}. */
    String field();

    /** When the sibling matches this (ECMA-262 in the CRD schema), the field may be left out. */
    String pattern();

    /** What the exemption means, for messages: "uri is a local path". */
    String meaning();
}
