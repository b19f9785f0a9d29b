package io.jenkins.plugins.runidentity.core;

/**
 * An HTTP request as an adapter hands it to the engine. Adapters read at most {@link IssuerEndpoints#MAX_BODY_BYTES}
 * + 1 bytes of body, so that the engine can tell an oversized body from a full one.
 *
 * @param method      upper-case HTTP method
 * @param path        the raw (still percent-encoded) path, without query
 * @param query       the raw query, or null
 * @param contentType the Content-Type header, or null
 * @param body        the body bytes read (never null)
 */
public record EndpointRequest(String method, String path, String query, String contentType, byte[] body) {
    public EndpointRequest {
        body = body == null ? new byte[0] : body;
    }
}
