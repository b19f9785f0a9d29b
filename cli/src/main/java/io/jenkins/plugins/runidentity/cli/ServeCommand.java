package io.jenkins.plugins.runidentity.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.runidentity.core.EndpointRequest;
import io.jenkins.plugins.runidentity.core.EndpointResponse;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.IssuerEndpoints;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves every issuer's endpoints below its URL's path: /.well-known/openid-configuration, /jwks,",
            "POST /introspect (RFC 7662) and POST /revoke (RFC 7009). Sees the sessions that exec processes open and close",
            "at once, and closes sessions whose process died within a few seconds. Stops on SIGINT or SIGTERM.",
            "",
            "A request must arrive whole within 10s and its response be taken within 10s, or the connection is closed",
            "(-Dsun.net.httpserver.maxReqTime / maxRspTime, in seconds, in RUN_IDENTITY_JAVA_OPTS, change that). It serves",
            "plain HTTP with no rate limit: put a TLS-terminating reverse proxy in front of an issuer others can reach."})
final class ServeCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand RunIdentityCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: the first issuer's host and port when it is loopback, else 127.0.0.1:8470)."
                    + " Port 0 picks a free port.")
    String listen;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Request threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || threads > 256) {
            throw new UsageError("--threads must be between 1 and 256");
        }
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (~40 ms on Linux) on every keep-alive request. Read once, when the
        // server's configuration class loads, so it must be set before the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        boundRequestTimes();
        StateHome home = parent.state();
        RunIdentityEngine engine = home.open(Clock.systemUTC());
        InetSocketAddress address = address(listen, engine.config().issuers().get(0));
        HttpServer server;
        try {
            server = HttpServer.create(address, 256);
        } catch (IOException e) {
            throw new UsageError("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/", exchange -> handle(engine.endpoints(), exchange));
        ProcessOwner liveness = new ProcessOwner();
        PrintWriter err = spec.commandLine().getErr();
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-identity-orphan-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                home.sweepOrphans(engine, liveness);
            } catch (RuntimeException e) {
                err.println("run-identity serve: orphan sweep failed: " + e.getMessage());
            }
        }, 2, 2, TimeUnit.SECONDS);
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            sweeper.shutdownNow();
            pool.shutdownNow();
            stopped.countDown();
        }, "run-identity-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        String host = server.getAddress().getAddress().getHostAddress();
        out.printf("run-identity serve: listening on http://%s:%d%n", host.contains(":") ? "[" + host + "]" : host,
                server.getAddress().getPort());
        for (IssuerConfig i : engine.config().issuers()) {
            out.printf("  issuer %s  %s%n", i.id(), i.url());
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /** How long a request may take to arrive whole, and its response to be taken, unless set otherwise. */
    static final int REQUEST_SECONDS = 10;

    /**
     * Bounds how long one connection may hold a request thread. The JDK server reads a request on a pool thread, so
     * a few clients that send part of their headers, or announce a body and never send it, would otherwise hold
     * every thread for good. The server closes a connection whose request has not arrived whole within
     * {@code sun.net.httpserver.maxReqTime} seconds, or whose response the client has not taken within
     * {@code maxRspTime} (checked every {@code timerMillis}); a connection that sent nothing yet is closed after the
     * lesser of that and {@code idleInterval}. These are read once, when the server's configuration class loads,
     * so they must be set before the first server is made; values the user set (-D...) are kept.
     */
    static void boundRequestTimes() {
        for (String name : new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
            if (System.getProperty(name) == null) {
                System.setProperty(name, Integer.toString(REQUEST_SECONDS));
            }
        }
    }

    static InetSocketAddress address(String listen, IssuerConfig first) {
        if (listen == null) {
            URI u = URI.create(first.url());
            int port = u.getPort() > 0 ? u.getPort() : -1;
            if (u.getScheme().equals("http") && port > 0) {
                return new InetSocketAddress(loopback(u.getHost()), port);
            }
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8470);
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageError("--listen " + listen + " is not HOST:PORT, e.g. 127.0.0.1:8470");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UsageError("--listen " + listen + " has no valid port (0 to 65535)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new UsageError("--listen " + listen + ": unknown host " + host);
        }
    }

    private static InetAddress loopback(String host) {
        try {
            InetAddress a = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            return a.isLoopbackAddress() ? a : InetAddress.getLoopbackAddress();
        } catch (IOException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** Translates one HTTP exchange to the engine's endpoint and back; reads at most the limit + 1 bytes of body. */
    static void handle(IssuerEndpoints endpoints, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(IssuerEndpoints.MAX_BODY_BYTES + 1);
            }
            URI uri = exchange.getRequestURI();
            EndpointResponse r = endpoints.handle(new EndpointRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"), body));
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                if (!h.getKey().equalsIgnoreCase("Content-Length")) {
                    exchange.getResponseHeaders().set(h.getKey(), h.getValue());
                }
            }
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(r.status(), head || r.body().length == 0 ? -1 : r.body().length);
            if (!head && r.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }
}
