package dev.stratus.resource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field that must be set. Checked by {@link SpecConstraints} (not by Jackson, so that a custom resource missing
 * a field still deserialises and gets a condition naming it rather than breaking the operator's informer) and
 * written into the CRD schema's {@code required} list.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Required {
}
