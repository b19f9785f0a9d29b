package io.jenkins.plugins.runidentity.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load client for "p99 at half the maximum rate": request {@code i} is due at
 * {@code start + i / rate} whatever the server does, requests are spread over a fixed set of keep-alive
 * connections, and each latency is measured from the moment the request was due, not sent — so a server that
 * falls behind shows in the percentiles instead of slowing the client down (no coordinated omission, as in wrk2).
 * Debian's wrk has no rate option; this fills that gap with plain sockets, so the client costs the two shared
 * cores little.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.jenkins.plugins.runidentity.bench.HttpRate URL RATE SECONDS [TOKEN_FILE] [CONNECTIONS]</pre>
 * With a token file it POSTs {@code token=<token>} as a form (introspection); without (or "-"), it GETs (JWKS).
 */
public final class HttpRate {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String tokenFile = args.length > 3 && !args[3].equals("-") ? args[3] : null;
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        String hostHeader = url.getHost() + ":" + url.getPort();
        String request;
        if (tokenFile == null) {
            request = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n";
        } else {
            String body = "token=" + Files.readString(Path.of(tokenFile)).trim();
            request = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        }
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
        run(address, bytes, rate, 2, connections); // warm-up at the same rate
        long[] latencies = run(address, bytes, rate, seconds, connections);
        Arrays.sort(latencies);
        int n = latencies.length;
        System.out.printf(Locale.ROOT, "rate=%d/s n=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d%n", rate, n,
                latencies[n / 2] / 1000, latencies[(int) (n * 0.90)] / 1000, latencies[(int) (n * 0.99)] / 1000,
                latencies[n - 1] / 1000, errors.get());
    }

    private static final AtomicInteger errors = new AtomicInteger();

    private static long[] run(InetSocketAddress address, byte[] request, int rate, int seconds, int connections)
            throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        errors.set(0);
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int first = c;
            threads[c] = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(address, 5000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
                    for (int i = first; i < total; i += connections) {
                        long due = start + i * interval;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(request);
                        out.flush();
                        if (readResponse(in) != 200) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - due;
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            }, "http-rate-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return latencies;
    }

    /** Reads one response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String h; !(h = line(in)).isEmpty(); ) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
