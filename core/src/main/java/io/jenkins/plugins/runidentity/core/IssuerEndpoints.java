package io.jenkins.plugins.runidentity.core;

import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The meaning of every HTTP endpoint, independent of any server: each issuer serves, below its URL's path,
 * {@code /.well-known/openid-configuration}, {@code /jwks}, {@code POST /introspect} (RFC 7662) and
 * {@code POST /revoke} (RFC 7009) and {@code /status/{list}} (token status list, draft-ietf-oauth-status-list-20).
 * Bad requests get RFC 6749-style JSON errors; nothing here answers with a
 * stack trace. Tokens are accepted only in form bodies, never in URLs.
 */
public final class IssuerEndpoints {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String DISCOVERY = "/.well-known/openid-configuration";
    static final String JWKS = "/jwks";
    static final String INTROSPECT = "/introspect";
    static final String REVOKE = "/revoke";
    static final String STATUS = "/status";
    /** How long relying parties may cache discovery and JWKS. */
    public static final int CACHE_SECONDS = 300;

    private final RunIdentityEngine engine;

    IssuerEndpoints(RunIdentityEngine engine) {
        this.engine = engine;
    }

    public EndpointResponse handle(EndpointRequest request) {
        try {
            return route(request);
        } catch (StateException e) {
            return EndpointResponse.error(503, "temporarily_unavailable", "the issuer's state cannot be used right now");
        }
    }

    private EndpointResponse route(EndpointRequest request) {
        String path = request.path() == null ? "" : request.path();
        for (IssuerConfig issuer : engine.config().issuers()) {
            String base = issuer.path();
            if (!path.startsWith(base)) {
                continue;
            }
            String rest = path.substring(base.length());
            switch (rest) {
                case DISCOVERY:
                    return onlyGet(request).orElse(() -> discovery(issuer));
                case JWKS:
                    return onlyGet(request).orElse(() -> jwks(issuer));
                case INTROSPECT:
                    return form(request).orElse(form -> introspect(issuer, form));
                case REVOKE:
                    return form(request).orElse(form -> revoke(issuer, form));
                default:
                    if (rest.startsWith(STATUS + "/")) {
                        String list = rest.substring(STATUS.length() + 1);
                        return onlyGet(request).orElse(() -> statusList(issuer, list));
                    }
                    break;
            }
        }
        return EndpointResponse.error(404, "not_found", "no run identity endpoint at this path");
    }

    private EndpointResponse discovery(IssuerConfig issuer) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer.url());
        doc.put("jwks_uri", issuer.url() + JWKS);
        doc.put("introspection_endpoint", issuer.url() + INTROSPECT);
        doc.put("revocation_endpoint", issuer.url() + REVOKE);
        doc.put("response_types_supported", List.of("id_token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of(issuer.algorithm().name()));
        doc.put("introspection_endpoint_auth_methods_supported", List.of("none"));
        doc.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        doc.put("claims_supported", List.of(Claims.ISSUER, Claims.SUBJECT, Claims.AUDIENCE, Claims.ISSUED_AT,
                Claims.NOT_BEFORE, Claims.EXPIRES, Claims.TOKEN_ID, Claims.SCOPE, Claims.SESSION, Claims.TEMPLATE,
                Claims.JOB, Claims.BUILD_NUMBER, Claims.RUN_ID, Claims.BUILD_URL, Claims.BRANCH, Claims.CHANGE,
                Claims.NODE, Claims.CAUSE, Claims.CONTROLLER, Claims.STATUS));
        return EndpointResponse.json(200, doc, "application/json", "public, max-age=" + CACHE_SECONDS);
    }

    private EndpointResponse jwks(IssuerConfig issuer) {
        return EndpointResponse.json(200, engine.publishedKeys(issuer.id()).toJSONObject(true), "application/json",
                "public, max-age=" + CACHE_SECONDS);
    }

    /** A signed status list token; list numbers are decimal, from 1, without leading zeros. */
    private EndpointResponse statusList(IssuerConfig issuer, String list) {
        if (!list.matches("[1-9][0-9]{0,8}")) {
            return EndpointResponse.error(404, "not_found", "status lists are numbered 1, 2, 3, ...");
        }
        return engine.statusListToken(issuer.id(), Long.parseLong(list)).map(jwt -> {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/" + StatusList.TYPE);
            // The token's own ttl governs; HTTP caches get the same figure.
            h.put("Cache-Control", "public, max-age=" + StatusList.TTL_SECONDS);
            h.put("X-Content-Type-Options", "nosniff");
            h.put("Access-Control-Allow-Origin", "*");
            return new EndpointResponse(200, h, jwt.getBytes(StandardCharsets.US_ASCII));
        }).orElseGet(() -> EndpointResponse.error(404, "not_found", "issuer '" + issuer.id() + "' has no status list " + list));
    }

    private EndpointResponse introspect(IssuerConfig issuer, Map<String, String> form) {
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            return EndpointResponse.error(400, "invalid_request", "the form parameter 'token' is required");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        engine.introspect(issuer.id(), token).ifPresentOrElse(t -> {
            answer.put("active", true);
            answer.putAll(t.claims());
            answer.put("active", true);
            answer.put("token_type", "Bearer");
        }, () -> answer.put("active", false));
        return EndpointResponse.json(200, answer, "application/json", "no-store");
    }

    private EndpointResponse revoke(IssuerConfig issuer, Map<String, String> form) {
        String token = form.get("token");
        if (token == null || token.isEmpty()) {
            return EndpointResponse.error(400, "invalid_request", "the form parameter 'token' is required");
        }
        engine.revokeByHolder(issuer.id(), token);
        // RFC 7009 §2.2: the same answer whether or not the token was valid or known.
        return new EndpointResponse(200, Map.of("Cache-Control", "no-store", "Content-Length", "0"), new byte[0]);
    }

    // ---- request shape checks

    private interface Outcome<T> {
        EndpointResponse orElse(T next);
    }

    private static Outcome<java.util.function.Supplier<EndpointResponse>> onlyGet(EndpointRequest r) {
        return next -> {
            if (!"GET".equals(r.method()) && !"HEAD".equals(r.method())) {
                return methodNotAllowed(r.method(), "GET, HEAD");
            }
            return next.get();
        };
    }

    private static Outcome<java.util.function.Function<Map<String, String>, EndpointResponse>> form(EndpointRequest r) {
        return next -> {
            if (!"POST".equals(r.method())) {
                return methodNotAllowed(r.method(), "POST");
            }
            if (r.query() != null && !r.query().isEmpty()) {
                return EndpointResponse.error(400, "invalid_request",
                        "parameters are accepted only in the form body; tokens must never travel in URLs");
            }
            if (r.body().length > MAX_BODY_BYTES) {
                return EndpointResponse.error(413, "invalid_request", "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            String type = r.contentType() == null ? "" : r.contentType().toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
            if (!type.equals("application/x-www-form-urlencoded")) {
                return EndpointResponse.error(415, "invalid_request", "the body must be application/x-www-form-urlencoded");
            }
            Map<String, String> form = new HashMap<>();
            String body;
            try {
                body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(r.body())).toString();
            } catch (CharacterCodingException e) {
                return EndpointResponse.error(400, "invalid_request", "the body is not UTF-8");
            }
            if (!body.isEmpty()) {
                for (String pair : body.split("&", -1)) {
                    int eq = pair.indexOf('=');
                    String name, value;
                    try {
                        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return EndpointResponse.error(400, "invalid_request", "the form body is not validly percent-encoded");
                    }
                    if (form.put(name, value) != null) {
                        return EndpointResponse.error(400, "invalid_request",
                                "parameter " + UserText.quote(name) + " appears more than once");
                    }
                }
            }
            return next.apply(form);
        };
    }

    private static EndpointResponse methodNotAllowed(String method, String allowed) {
        EndpointResponse e = EndpointResponse.error(405, "invalid_request",
                "method " + UserText.quote(method) + " is not allowed here; use " + allowed);
        Map<String, String> h = new LinkedHashMap<>(e.headers());
        h.put("Allow", allowed);
        return new EndpointResponse(405, h, e.body());
    }
}
