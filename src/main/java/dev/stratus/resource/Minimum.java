package dev.stratus.resource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The smallest value a numeric field takes ({@code exclusive}: the value itself is refused). Read by the CRD
 * schema post-processor so that {@code kubectl apply} refuses what the local reader refuses; plain Java so that the
 * resource types stay free of Kubernetes libraries.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Minimum {
    double value();

    boolean exclusive() default false;
}
