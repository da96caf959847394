package dev.stratus.dataplane.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.dataplane.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnaryMessageTest {
    private static final byte[] MESSAGE = {10, 20, 30, 40, 50, 60, 70};

    /** The framed message cut into chunks at the given offsets: wherever HTTP/2 splits it, the message is the same. */
    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("one chunk", new int[] {}),
                Arguments.of("prefix alone", new int[] {5}),
                Arguments.of("prefix split", new int[] {2}),
                Arguments.of("every byte its own chunk", new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}),
                Arguments.of("message split", new int[] {5, 7, 9}),
                Arguments.of("prefix and message in a chunk", new int[] {8}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void assemblesTheMessageWhereverTheChunksSplitIt(String name, int[] cuts) {
        UnaryMessage message = new UnaryMessage(1024);
        for (ByteBuffer chunk : chunks(framed(MESSAGE), cuts)) {
            assertTrue(message.add(chunk), name);
        }
        assertArrayEquals(MESSAGE, message.complete());
    }

    @org.junit.jupiter.api.Test
    void anEmptyMessageIsAMessage() {
        UnaryMessage message = new UnaryMessage(1024);
        assertTrue(message.add(ByteBuffer.wrap(framed(new byte[0]))));
        assertEquals(0, message.complete().length);
    }

    /** Bad calls: refused with the HTTP-style status the error table maps to gRPC codes, and a message naming why. */
    static Stream<Arguments> badCalls() {
        byte[] two = concat(framed(MESSAGE), framed(MESSAGE));
        byte[] compressed = framed(MESSAGE);
        compressed[0] = 1;
        return Stream.of(
                Arguments.of("over the limit", framed(new byte[100]), 99, 413,
                        "request message of 100 bytes exceeds the limit of 99 bytes"),
                Arguments.of("two messages", two, 1024, 400, "one request message; this one has more"),
                Arguments.of("compressed flag, no encoding", compressed, 1024, 400, "flagged compressed"),
                Arguments.of("no message", new byte[0], 1024, 400, "no request message: the call ended after 0 bytes"),
                Arguments.of("prefix cut short", Arrays.copyOf(framed(MESSAGE), 3), 1024, 400,
                        "no request message: the call ended after 3 bytes"),
                Arguments.of("message cut short", Arrays.copyOf(framed(MESSAGE), 9), 1024, 400,
                        "request message cut short: 4 of 7 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void refusesBadCalls(String name, byte[] body, long limit, int status, String why) {
        UnaryMessage message = new UnaryMessage(limit);
        boolean accepted = message.add(ByteBuffer.wrap(body));
        ProtocolException e = assertThrows(ProtocolException.class, message::complete);
        assertEquals(status, e.status(), name);
        assertTrue(e.getMessage().contains(why), e.getMessage());
        if (!accepted) {
            assertEquals(e, message.failure());
        } else {
            assertEquals(null, message.failure());
        }
    }

    @org.junit.jupiter.api.Test
    void stopsKeepingBytesOnceTheCallIsBad() {
        UnaryMessage message = new UnaryMessage(4);
        assertFalse(message.add(ByteBuffer.wrap(framed(MESSAGE))));
        assertFalse(message.add(ByteBuffer.wrap(MESSAGE)));
        assertEquals(413, message.failure().status());
    }

    private static byte[] framed(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static java.util.List<ByteBuffer> chunks(byte[] bytes, int[] cuts) {
        java.util.List<ByteBuffer> out = new java.util.ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, cut)));
            from = cut;
        }
        out.add(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, bytes.length)));
        return out;
    }
}
