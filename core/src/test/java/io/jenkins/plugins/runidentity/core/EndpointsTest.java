package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

public class EndpointsTest extends EngineFixture {
    private static final String BASE = "/run-identity/corp";
    private static final String FORM = "application/x-www-form-urlencoded";

    private EndpointResponse call(String method, String path, String query, String type, String body) {
        return engine.endpoints().handle(new EndpointRequest(method, path, query, type,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> json(EndpointResponse r) throws Exception {
        assertThat(r.headers().get("Content-Type")).startsWith("application/json");
        return JSONObjectUtils.parse(r.bodyText());
    }

    @Test
    public void discoveryNamesEveryEndpointUnderTheIssuer() throws Exception {
        EndpointResponse r = call("GET", BASE + "/.well-known/openid-configuration", null, null, null);
        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> doc = json(r);
        assertThat(doc.get("issuer")).isEqualTo(Fixtures.ISSUER_URL);
        assertThat(doc.get("jwks_uri")).isEqualTo(Fixtures.ISSUER_URL + "/jwks");
        assertThat(doc.get("introspection_endpoint")).isEqualTo(Fixtures.ISSUER_URL + "/introspect");
        assertThat(doc.get("revocation_endpoint")).isEqualTo(Fixtures.ISSUER_URL + "/revoke");
        assertThat(r.headers().get("Cache-Control")).contains("max-age=300");
    }

    @Test
    public void jwksPublishesPublicKeysOnly() throws Exception {
        EndpointResponse r = call("GET", BASE + "/jwks", null, null, null);
        assertThat(r.status()).isEqualTo(200);
        JWKSet set = JWKSet.parse(r.bodyText());
        assertThat(set.getKeys()).hasSize(2); // the active key and the next one, published before it signs
        assertThat(set.getKeys()).noneMatch(k -> k.isPrivate());
        assertThat(r.bodyText()).doesNotContain("\"d\"");
    }

    @Test
    public void introspectionAndRevocationFollowTheSession() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t");
        String form = "token=" + s.token().revealSerialized();
        Map<String, Object> active = json(call("POST", BASE + "/introspect", null, FORM, form));
        assertThat(active.get("active")).isEqualTo(true);
        assertThat(active.get("jti")).isEqualTo(s.token().jti());
        assertThat(active.get("sub")).isEqualTo("job:a");
        assertThat(active.get("token_type")).isEqualTo("Bearer");

        EndpointResponse revoke = call("POST", BASE + "/revoke", null, FORM + "; charset=UTF-8", form + "&token_type_hint=access_token");
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(json(call("POST", BASE + "/introspect", null, FORM, form))).containsExactly(Map.entry("active", false));
        assertThat(engine.auditRecords(r -> "revoked-by-holder".equals(r.string("reason")))).hasSize(1);
        // revoking again, or revoking garbage, answers the same and records nothing
        assertThat(call("POST", BASE + "/revoke", null, FORM, form).status()).isEqualTo(200);
        assertThat(call("POST", BASE + "/revoke", null, FORM, "token=garbage").status()).isEqualTo(200);
        assertThat(engine.auditRecords(r -> r.type().equals("revoked"))).hasSize(1);
    }

    @Test
    public void aTokenOfAnotherIssuerIsInactiveHere() throws Exception {
        Session s = engine.openSession(MintRequest.of("edge", "edge"), Fixtures.run("a", 1), "t");
        assertThat(json(call("POST", BASE + "/introspect", null, FORM, "token=" + s.token().revealSerialized())).get("active"))
                .isEqualTo(false);
    }

    @Test
    public void badRequestsGetJsonErrorsWithTheRightStatus() throws Exception {
        Object[][] cases = {
            // method, path, query, content type, body, status, error
            {"POST", BASE + "/introspect", null, FORM, "", 400, "invalid_request"},
            {"POST", BASE + "/introspect", null, FORM, "token=", 400, "invalid_request"},
            {"POST", BASE + "/introspect", null, FORM, "token=" + "a".repeat(IssuerEndpoints.MAX_BODY_BYTES), 413, "invalid_request"},
            {"POST", BASE + "/introspect", null, "application/json", "{\"token\":\"x\"}", 415, "invalid_request"},
            {"POST", BASE + "/introspect", null, null, "token=x", 415, "invalid_request"},
            {"POST", BASE + "/introspect", "token=abc", FORM, "", 400, "invalid_request"},
            {"POST", BASE + "/introspect", null, FORM, "token=a&token=b", 400, "invalid_request"},
            {"POST", BASE + "/introspect", null, FORM, "token=%zz", 400, "invalid_request"},
            {"GET", BASE + "/introspect", null, null, null, 405, "invalid_request"},
            {"DELETE", BASE + "/jwks", null, null, null, 405, "invalid_request"},
            {"POST", BASE + "/.well-known/openid-configuration", null, FORM, "", 405, "invalid_request"},
            {"GET", "/run-identity/nope/jwks", null, null, null, 404, "not_found"},
            {"GET", BASE + "/jwks/../keys", null, null, null, 404, "not_found"},
            {"GET", "", null, null, null, 404, "not_found"},
            {"POST", BASE + "/revoke", null, FORM, "token_type_hint=x", 400, "invalid_request"},
        };
        for (Object[] c : cases) {
            EndpointResponse r = call((String) c[0], (String) c[1], (String) c[2], (String) c[3], (String) c[4]);
            String what = c[0] + " " + c[1] + " " + c[2] + " " + c[3];
            assertThat(r.status()).as(what).isEqualTo(c[5]);
            Map<String, Object> body = json(r);
            assertThat(body.get("error")).as(what).isEqualTo(c[6]);
            assertThat((String) body.get("error_description")).as(what).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(call("GET", BASE + "/introspect", null, null, null).headers().get("Allow")).isEqualTo("POST");
    }

    @Test
    public void malformedTokensAreSimplyInactive() throws Exception {
        for (String t : new String[] {"x", "a.b.c", "a.b.c.d.e", "..", "eyJhbGciOiJub25lIn0.e30.", "%00"}) {
            EndpointResponse r = call("POST", BASE + "/introspect", null, FORM, "token=" + t);
            assertThat(r.status()).as(t).isEqualTo(200);
            assertThat(json(r)).as(t).containsExactly(Map.entry("active", false));
        }
    }
}
