package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Exchange profiles in the configuration document: what is read, and every contradiction refused when built. */
public class ExchangeConfigTest {
    private static final String TOKEN = "https://sso.example.com/realms/ci/protocol/openid-connect/token";

    private static Map<String, Object> document(Map<String, Object> exchange) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("issuers", List.of(Map.of("id", "corp", "url", "https://ci.example.com/ri/corp")));
        root.put("templates", List.of(Map.of("id", "sso", "audiences", List.of("https://sso.example.com/realms/ci", "fixed-aud"),
                "allowedJobs", List.of("**"), "maxTtl", "45s", "defaultTtl", "30s")));
        root.put("exchanges", List.of(exchange));
        return Map.of("runIdentity", root);
    }

    private static Map<String, Object> profile(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("id", "sso", "tokenEndpoint", TOKEN, "template", "sso",
                "discovery", "https://sso.example.com/realms/ci"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove((String) kv[i]);
            } else {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @Test
    public void readsAProfileWithItsDefaults() {
        EngineConfig c = ConfigDocument.read(document(profile("clientId", "ci", "scope", List.of("profile", "email"),
                "revocationEndpoint", "https://sso.example.com/realms/ci/protocol/openid-connect/revoke")));
        ExchangeProfile p = c.exchange("sso").orElseThrow();
        assertThat(p.grant()).isEqualTo(ExchangeGrant.CLIENT_CREDENTIALS);
        assertThat(p.assertionTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.scope()).isEqualTo("profile email");
        assertThat(p.clientId()).isEqualTo("ci");
        assertThat(p.revocationEndpoint()).endsWith("/revoke");
        assertThat(c.exchange("other")).isEmpty();
        ExchangeProfile te = ConfigDocument.read(document(profile("grant", "token-exchange", "clientId", "ci",
                "clientSecret", "sso-secret", "assertionTtl", "20s"))).exchange("sso").orElseThrow();
        assertThat(te.grant()).isEqualTo(ExchangeGrant.TOKEN_EXCHANGE);
        assertThat(te.clientSecret()).isEqualTo("sso-secret");
        assertThat(te.assertionTtl()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    public void contradictionsAreRefusedWithTheSettingsPath() {
        String at = "runIdentity.exchanges[0]: ";
        Object[][] cases = {
            {profile("color", "blue"), at + "unknown setting 'color'; known settings: assertionAudience, assertionTtl, audience,"
                    + " clientId, clientSecret, discovery, grant, id, issuer, revocationEndpoint, scope, template, tokenEndpoint"},
            {profile("grant", "password"), at + "grant 'password' is not known; known grants: client-credentials, token-exchange"},
            {profile("tokenEndpoint", null), at + "exchange profile 'sso': needs a tokenEndpoint"},
            {profile("tokenEndpoint", "http://sso.example.com/token"), at + "exchange profile 'sso': tokenEndpoint"
                    + " 'http://sso.example.com/token' must use https; plain http is only allowed on a loopback host such as 127.0.0.1"},
            {profile("revocationEndpoint", "https://sso.example.com/revoke?token=x"), at + "exchange profile 'sso': revocationEndpoint"
                    + " 'https://sso.example.com/revoke?token=x' must not have a query, fragment or user info"},
            {profile("assertionAudience", "fixed-aud"), at + "exchange profile 'sso': set exactly one of discovery (the downstream's"
                    + " issuer URL, whose discovery document names the assertion audience) and assertionAudience"},
            {profile("discovery", null), at + "exchange profile 'sso': set exactly one of discovery (the downstream's"
                    + " issuer URL, whose discovery document names the assertion audience) and assertionAudience"},
            {profile("assertionTtl", "5m"), at + "exchange profile 'sso': assertionTtl 5m must be between 1s and 60s; an assertion"
                    + " is used once, right after it is minted"},
            {profile("clientId", "ci", "clientSecret", "s"), at + "exchange profile 'sso': the client-credentials grant authenticates"
                    + " with the assertion itself; a clientSecret is only for token-exchange"},
            {profile("grant", "token-exchange", "clientSecret", "s"), at + "exchange profile 'sso': a clientSecret needs the"
                    + " clientId it belongs to"},
            {profile("grant", "token-exchange", "clientId", "ci", "clientSecret", "../etc/passwd"), at + "client secret name"
                    + " '../etc/passwd' is not valid; use letters, digits, '.', '_' and '-'"},
            {profile("template", null), at + "exchange profile 'sso': names no template to mint its assertion with"},
            {profile("template", "nope"), "exchange profile 'sso' names template 'nope', which is not configured; configured templates: sso"},
            {profile("issuer", "edge"), "exchange profile 'sso' names issuer 'edge', which is not configured"},
            {profile("discovery", null, "assertionAudience", "https://elsewhere.example.com"), "exchange profile 'sso':"
                    + " assertionAudience 'https://elsewhere.example.com' is not one of template 'sso''s audiences:"
                    + " https://sso.example.com/realms/ci, fixed-aud"},
            {profile("scope", java.util.Arrays.asList("profile", null)), at + "runIdentity.exchanges[0].scope[1] is empty; remove it or give it a value"},
            {profile("id", "Bad Id"), at + "exchange profile id 'Bad Id' is not valid; use lower-case letters, digits and '-',"
                    + " starting with a letter or digit"},
        };
        List<String> failures = new ArrayList<>();
        for (Object[] c : cases) {
            try {
                ConfigDocument.read(document(uncheckedMap(c[0])));
                failures.add("accepted: " + c[0]);
            } catch (ConfigurationException e) {
                if (!e.getMessage().equals(c[1])) {
                    failures.add("expected: " + c[1] + "\n     got: " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThatThrownBy(() -> new EngineConfig(List.of(IssuerConfig.of("a", "https://a.example")),
                List.of(ScopeTemplate.builder("t").audiences("x").allowedJobs("**").build()), null, null,
                List.of(ExchangeProfile.builder("d").tokenEndpoint(TOKEN).assertionAudience("x").template("t").build(),
                        ExchangeProfile.builder("d").tokenEndpoint(TOKEN).assertionAudience("x").template("t").build())))
                .hasMessage("exchange profile 'd' is configured twice");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> uncheckedMap(Object o) {
        return (Map<String, Object>) o;
    }
}
