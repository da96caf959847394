package dev.stratus.emulation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy that delays every byte by half a round trip in each direction: a network link between an edge site
 * and the cloud, emulated in user space. (This kernel has no {@code netem} qdisc, so a round trip cannot be added
 * with {@code tc}.) Each direction of each connection has a reader that stamps every chunk it reads with the time it
 * may leave, and a writer that sends it then, in order; the delay is added to whatever the real path takes.
 * {@link #close()} cuts every connection with a reset, as a link going down (or the far side dying) would;
 * {@link #start()} again reopens the same address.
 */
public final class DelayingProxy implements AutoCloseable {
    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final long oneWayNanos;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile int port;

    /** A chunk on its way, and when it may leave. */
    private record Chunk(long dueNanos, byte[] bytes, int length) {
        static final Chunk END = new Chunk(0, new byte[0], -1);
    }

    /**
     * @param listen where clients connect (port 0: any free port, kept across restarts)
     * @param target where the proxy connects for each client
     * @param rttMs  the round trip added: half of it on each direction
     */
    public DelayingProxy(InetSocketAddress listen, InetSocketAddress target, double rttMs) {
        if (!(rttMs >= 0)) {
            throw new IllegalArgumentException("rttMs must be >= 0, got " + rttMs);
        }
        this.listen = listen;
        this.target = target;
        this.oneWayNanos = (long) (rttMs * 1e6 / 2);
        this.port = listen.getPort();
    }

    /** Listens (again) and forwards in the background. */
    public synchronized DelayingProxy start() throws IOException {
        if (server != null) {
            return this;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(listen.getAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread.ofVirtual().name("proxy-accept-" + port).start(() -> accept(s));
        return this;
    }

    public int port() {
        return port;
    }

    public InetAddress address() {
        return listen.getAddress();
    }

    /** {@code http://host:port} of the proxy. */
    public String url() {
        return "http://" + listen.getAddress().getHostAddress() + ":" + port;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(target, 2000);
            } catch (IOException e) {
                reset(client);
                reset(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            // When both directions have ended, the connection is done: both sockets close.
            java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
            Runnable ended = () -> {
                if (open.decrementAndGet() == 0) {
                    quietlyClose(client);
                    quietlyClose(upstream);
                }
            };
            pipe(client, upstream, ended);
            pipe(upstream, client, ended);
        }
    }

    /** Bytes from {@code from} to {@code to}, each chunk leaving half a round trip after it arrived. */
    private void pipe(Socket from, Socket to, Runnable ended) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream()) {
                byte[] buf = new byte[64 << 10];
                for (int n; (n = in.read(buf)) > 0; ) {
                    queue.add(new Chunk(System.nanoTime() + oneWayNanos, java.util.Arrays.copyOf(buf, n), n));
                }
            } catch (IOException e) {
                // the connection ended or was cut: the writer ends it on the other side
            }
            queue.add(Chunk.END);
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    if (c.length() < 0) {
                        to.shutdownOutput();
                        ended.run();
                        break;
                    }
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(c.bytes(), 0, c.length());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                reset(from);
                reset(to);
            }
        });
    }

    private void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.remove(s);
    }

    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST: what the far end sees when a link or host dies
        } catch (SocketException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.remove(s);
    }

    /** Stops listening and cuts every connection (reset). */
    @Override
    public synchronized void close() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.forEach(this::reset);
    }
}
