package dev.stratus.dataplane.worker.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/** Reusable direct buffers, one per input name, grown on demand; owned by one thread. */
final class ScratchBuffers {
    private final Map<String, ByteBuffer> buffers = new HashMap<>();

    /** A cleared buffer of exactly {@code size} bytes (a view of a buffer at least that large). */
    ByteBuffer buffer(String name, int size) {
        ByteBuffer b = buffers.get(name);
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocateDirect(Math.max(size, b == null ? 0 : b.capacity() * 2))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffers.put(name, b);
        }
        return b.clear().slice(0, size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
