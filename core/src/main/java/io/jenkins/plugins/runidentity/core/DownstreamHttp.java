package io.jenkins.plugins.runidentity.core;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Port: how exchanges talk HTTP to a downstream. {@link #jdk()} is the default; the Jenkins plugin supplies one
 * that honours Jenkins' proxy settings. An implementation must not follow redirects (a token endpoint that
 * redirects a form full of credentials is not trusted) and must bound the time and the size of an answer.
 */
@FunctionalInterface
public interface DownstreamHttp {
    /** The largest answer an implementation needs to accept. */
    int MAX_RESPONSE_BYTES = 64 * 1024;

    /**
     * @throws IOException when there is no complete answer (connection refused, timeout, answer too large); its
     *                     message is shown to people and must not carry the request body
     */
    Response send(Request request) throws IOException;

    /** A JDK {@link java.net.http.HttpClient} with bounded timeouts, no redirects and the system proxy selector. */
    static DownstreamHttp jdk() {
        return JdkDownstreamHttp.withDefaults();
    }

    /** One request. {@link #toString()} shows neither headers nor body: they carry credentials. */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        public Request {
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Request[" + method + " " + uri + "]";
        }
    }

    /** One answer, complete. {@link #toString()} does not show the body: it may carry a token. */
    record Response(int status, String contentType, byte[] body) {
        @Override
        public String toString() {
            return "Response[" + status + ", " + contentType + ", " + body.length + " bytes]";
        }
    }
}
