package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The default transport: sends what it is given, never follows a redirect, and bounds the answer's size. */
public class JdkDownstreamHttpTest {
    private HttpServer server;
    private String base;
    private final AtomicReference<String> received = new AtomicReference<>();

    @Before
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/token", x -> {
            received.set(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(x, 200, "{\"access_token\":\"t\"}");
        });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().set("Location", base + "/token");
            reply(x, 307, "");
        });
        server.createContext("/huge", x -> reply(x, 200, "x".repeat(DownstreamHttp.MAX_RESPONSE_BYTES + 1)));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        }
        x.close();
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private static DownstreamHttp.Request post(String url) {
        return new DownstreamHttp.Request("POST", URI.create(url), Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "a=b".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void sendsTheFormAndReturnsTheAnswer() throws IOException {
        DownstreamHttp.Response r = DownstreamHttp.jdk().send(post(base + "/token"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"access_token\":\"t\"}");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(received.get()).isEqualTo("POST application/x-www-form-urlencoded a=b");
        assertThat(r.toString()).doesNotContain("access_token");
    }

    @Test
    public void redirectsAreNotFollowed() throws IOException {
        DownstreamHttp.Response r = DownstreamHttp.jdk().send(post(base + "/moved"));
        assertThat(r.status()).isEqualTo(307);
        assertThat(received.get()).as("the form must not reach the redirect's target").isNull();
    }

    @Test
    public void largeAnswersAndDeadEndsAreErrorsWithoutDetailsOfTheRequest() throws IOException {
        assertThatThrownBy(() -> DownstreamHttp.jdk().send(post(base + "/huge"))).isInstanceOf(IOException.class)
                .hasMessage("the answer (status 200) is larger than 64 KiB");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> DownstreamHttp.jdk().send(post("http://127.0.0.1:" + closed + "/token")))
                .isInstanceOf(IOException.class).hasMessage("connection refused or unreachable");
    }
}
