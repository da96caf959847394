package dev.stratus.core.model;

import java.util.Locale;
import java.util.Optional;

/** Tensor element types of the Open Inference Protocol, with their size on the wire (little-endian). */
public enum DataType {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8),
    INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), BF16(2), FP32(4), FP64(8),
    /** Variable-length byte strings (each element a 4-byte length and its bytes); no sample model takes them. */
    BYTES(-1);

    private final int byteSize;

    DataType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element, or -1 for the variable-length BYTES type. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFixedSize() {
        return byteSize > 0;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == BF16 || this == FP32 || this == FP64;
    }

    /** Parses the protocol name ("FP32", "INT64", ...), case-insensitively. */
    public static Optional<DataType> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
