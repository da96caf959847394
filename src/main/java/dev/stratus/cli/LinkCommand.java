package dev.stratus.cli;

import dev.stratus.dataplane.gateway.SiteGateways;
import dev.stratus.emulation.DelayingProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stratus link}: an emulated network link between an edge site and the cloud, a TCP proxy that adds a round
 * trip in user space (this kernel has no netem). Point a site at it with {@code serve --site-cloud SITE=URL}.
 */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = "Emulate an edge-to-cloud network link: a TCP proxy adding a round-trip time, until stopped.")
public class LinkCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
            description = "Where the link accepts connections (the edge side), e.g. 127.0.0.3:9080.")
    String listen;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT",
            description = "Where it connects (the cloud gateway), e.g. 127.0.0.1:8080.")
    String to;

    @Option(names = "--rtt-ms", required = true, paramLabel = "MS",
            description = "Round-trip time added, half in each direction.")
    double rttMs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress from = address("--listen", listen);
        InetSocketAddress target = address("--to", to);
        if (!(rttMs >= 0 && rttMs <= 60_000)) {
            throw new UserException("--rtt-ms must be 0..60000, got " + rttMs);
        }
        DelayingProxy proxy = new DelayingProxy(from, target, rttMs);
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UserException("--listen " + listen + ": cannot listen: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }));
        System.out.printf("link: %s -> %s with %.1f ms round trip (Ctrl-C stops it)%n", proxy.url(), to, rttMs);
        stopped.await();
        return 0;
    }

    private static InetSocketAddress address(String option, String text) {
        try {
            SiteGateways.Address a = SiteGateways.Address.parse(text);
            return new InetSocketAddress(a.host(), a.port());
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }
}
