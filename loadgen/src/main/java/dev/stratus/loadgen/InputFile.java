package dev.stratus.loadgen;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/** The content of an input read from a file once, when the scenario is loaded; sent as is in every request. */
public record InputFile(Path path, byte[] bytes) {
    public InputFile {
        bytes = bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    void putInto(ByteBuffer out) {
        out.put(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputFile f && f.path.equals(path) && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "InputFile[" + path + ", " + bytes.length + " bytes]";
    }
}
