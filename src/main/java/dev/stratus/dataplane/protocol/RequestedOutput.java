package dev.stratus.dataplane.protocol;

import java.util.Optional;

/** An entry of the request's {@code outputs} list; {@code binary} is the per-output binary_data flag. */
public record RequestedOutput(String name, Optional<Boolean> binary) {
}
