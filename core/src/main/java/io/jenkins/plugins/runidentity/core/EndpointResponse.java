package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an adapter sends back: status, headers (including Content-Type) and body.
 */
public record EndpointResponse(int status, Map<String, String> headers, byte[] body) {
    public EndpointResponse {
        headers = Map.copyOf(headers);
    }

    static EndpointResponse json(int status, Map<String, ?> json, String contentType, String cacheControl) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Cache-Control", cacheControl);
        h.put("X-Content-Type-Options", "nosniff");
        return new EndpointResponse(status, h, JSONObjectUtils.toJSONString(new LinkedHashMap<>(json)).getBytes(StandardCharsets.UTF_8));
    }

    /** An RFC 6749-style error: {@code {"error":…,"error_description":…}}. */
    static EndpointResponse error(int status, String error, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("error_description", description);
        return json(status, m, "application/json", "no-store");
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
