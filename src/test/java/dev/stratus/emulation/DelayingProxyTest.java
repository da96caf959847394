package dev.stratus.emulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delaying proxy in front of a real echo server on loopback. */
class DelayingProxyTest {
    ServerSocket echo;
    DelayingProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new DelayingProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 40).start();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private byte[] roundTrip(Socket s, byte[] message) throws IOException {
        s.getOutputStream().write(message);
        s.getOutputStream().flush();
        return s.getInputStream().readNBytes(message.length);
    }

    @Test
    void bytesComeBackUnchangedAfterAtLeastTheRoundTrip() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                byte[] back = roundTrip(s, ("ping " + i).getBytes());
                double ms = (System.nanoTime() - start) / 1e6;
                assertArrayEquals(("ping " + i).getBytes(), back);
                assertTrue(ms >= 40, "a round trip through the proxy took " + ms + " ms, less than its 40 ms");
            }
        }
    }

    @Test
    void closingCutsConnectionsAndStartingAgainServesTheSamePort() throws IOException {
        int port = proxy.port();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertArrayEquals("a".getBytes(), roundTrip(s, "a".getBytes()));
            proxy.close();
            assertThrows(IOException.class, () -> {
                for (int i = 0; i < 10; i++) { // the reset shows on the first read or a later write
                    roundTrip(s, "b".getBytes());
                }
            });
        }
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        proxy.start();
        assertEquals(port, proxy.port());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertArrayEquals("c".getBytes(), roundTrip(s, "c".getBytes()));
        }
    }
}
