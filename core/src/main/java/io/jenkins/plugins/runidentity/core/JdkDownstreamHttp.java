package io.jenkins.plugins.runidentity.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The default {@link DownstreamHttp}: the JDK's HTTP client, never following redirects. */
final class JdkDownstreamHttp implements DownstreamHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client;
    private final Duration requestTimeout;

    JdkDownstreamHttp(HttpClient client, Duration requestTimeout) {
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    static JdkDownstreamHttp withDefaults() {
        return new JdkDownstreamHttp(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(ProxySelector.getDefault()).build(), REQUEST_TIMEOUT);
    }

    @Override
    public Response send(Request request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(requestTimeout)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        HttpResponse<InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer within " + DurationFormat.format(requestTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.net.ConnectException e) {
            throw new IOException("connection refused or unreachable");
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("the answer (status " + r.statusCode() + ") is larger than " + MAX_RESPONSE_BYTES / 1024 + " KiB");
        }
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body);
    }
}
