package dev.stratus.resource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a spec against its {@link Required}, {@link RequiredUnless}, {@link Minimum}, {@link Maximum} and
 * {@link SchemaPattern} annotations, the same
 * constraints the CRD schema carries, so that a resource the API server would refuse is refused locally (and by
 * the operator, which cannot rely on every cluster having the current CRD) with the same field named.
 */
public final class SpecConstraints {
    private SpecConstraints() {
    }

    /** The first violation as {@code <path>: <problem>} (path relative to the spec, e.g. {@code slo.latencyMs}). */
    public static Optional<String> firstViolation(Record spec) {
        return check(spec, "");
    }

    private static Optional<String> check(Object value, String path) {
        if (value instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v = get(r, c);
                String p = path.isEmpty() ? c.getName() : path + "." + c.getName();
                Optional<String> problem = v == null ? missing(r, c, p) : checkValue(c, v, p);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Optional<String> problem = check(list.get(i), path + "[" + i + "]");
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Optional<String> problem = check(e.getValue(), path + "." + e.getKey());
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    /** A field left out: a problem when it is required, or required unless its sibling matches a pattern. */
    private static Optional<String> missing(Record r, RecordComponent c, String path) {
        if (c.isAnnotationPresent(Required.class)) {
            return Optional.of(path + ": must be set");
        }
        RequiredUnless unless = c.getAnnotation(RequiredUnless.class);
        if (unless == null) {
            return Optional.empty();
        }
        Object sibling = null;
        for (RecordComponent other : r.getClass().getRecordComponents()) {
            if (other.getName().equals(unless.field())) {
                sibling = get(r, other);
            }
        }
        boolean exempt = sibling instanceof String s && Pattern.compile(unless.pattern()).matcher(s).find();
        return exempt ? Optional.empty() : Optional.of(path + ": must be set when " + unless.meaning());
    }

    private static Optional<String> checkValue(RecordComponent c, Object v, String path) {
        Minimum min = c.getAnnotation(Minimum.class);
        Maximum max = c.getAnnotation(Maximum.class);
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (min != null && (min.exclusive() ? !(d > min.value()) : !(d >= min.value()))) {
                return Optional.of(path + ": must be " + (min.exclusive() ? "> " : ">= ") + fmt(min.value())
                        + ", got " + v);
            }
            if (max != null && (max.exclusive() ? !(d < max.value()) : !(d <= max.value()))) {
                return Optional.of(path + ": must be " + (max.exclusive() ? "< " : "<= ") + fmt(max.value())
                        + ", got " + v);
            }
        }
        SchemaPattern pattern = c.getAnnotation(SchemaPattern.class);
        if (pattern != null && v instanceof String s && !Pattern.compile(pattern.value()).matcher(s).find()) {
            return Optional.of(path + ": '" + s + "' does not match " + pattern.value());
        }
        return check(v, path);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
