package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ConfigurationTest {

    @Test
    public void issuerUrlsMustBeExactAndSecure() {
        String[] good = {"https://ci.example.com", "https://ci.example.com/run-identity/corp", "http://127.0.0.1:8470/default",
            "http://localhost:1/x", "http://[::1]:8470/a"};
        for (String g : good) {
            assertThat(IssuerConfig.of("a", g).url()).isEqualTo(g);
        }
        Object[][] bad = {
            {"https://ci.example.com/", "must not end with '/'"}, {"http://ci.example.com/x", "must use https"},
            {"https://ci.example.com/x?a=b", "query"}, {"https://ci.example.com/x#f", "fragment"},
            {"https://u:p@ci.example.com/x", "user info"}, {"ftp://ci.example.com", "absolute https"},
            {"/relative", "absolute https"}, {"", "needs a URL"}, {"http://10.0.0.1/x", "must use https"},
        };
        for (Object[] b : bad) {
            assertThatThrownBy(() -> IssuerConfig.of("a", (String) b[0])).as((String) b[0])
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining((String) b[1]);
        }
        assertThatThrownBy(() -> IssuerConfig.of("Bad_Id", "https://x.example")).hasMessageContaining("'Bad_Id'");
    }

    @Test
    public void templatesRefuseReservedClaimsAndUnknownVariables() {
        for (String reserved : new String[] {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "scope", "job", "status", "sid"}) {
            assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").claim(reserved, "x").build())
                    .as(reserved).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("claim '" + reserved + "' is reserved");
        }
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").subject("job:${jobname}").build())
                .hasMessageContaining("unknown variable ${jobname}").hasMessageContaining("known variables are");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").claim("team", "${secret}").build())
                .hasMessageContaining("unknown variable ${secret}");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").allowedJobs("**").build()).hasMessageContaining("at least one audience");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").build()).hasMessageContaining("allowedJobs is empty");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").maxTtl(Duration.ofHours(25)).build())
                .hasMessageContaining("limit of 24h");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").defaultTtl(Duration.ofHours(2))
                .maxTtl(Duration.ofHours(1)).build()).hasMessageContaining("at most the maximum ttl");
        assertThatThrownBy(() -> ScopeTemplate.builder("t").audiences("a").allowedJobs("**").scope("has space").build())
                .hasMessageContaining("scope value");
    }

    @Test
    public void engineConfigChecksReferences() {
        IssuerConfig a = IssuerConfig.of("a", "https://a.example");
        ScopeTemplate t = ScopeTemplate.builder("t").audiences("x").allowedJobs("**").issuers("b").build();
        assertThatThrownBy(() -> new EngineConfig(List.of(a), List.of(t))).hasMessageContaining("names issuer 'b'");
        assertThatThrownBy(() -> new EngineConfig(List.of(a, a), List.of())).hasMessageContaining("configured twice");
        assertThatThrownBy(() -> new EngineConfig(List.of(), List.of())).hasMessageContaining("no issuer");
    }

    @Test
    public void documentReadsTheSharedShape() {
        Map<String, Object> doc = Map.of("runIdentity", Map.of(
                "issuers", List.of(Map.of("id", "default", "url", "http://127.0.0.1:8470/default", "algorithm", "ES256")),
                "templates", List.of(Map.of("id", "deploy", "audiences", List.of("vault"), "scope", "deploy read",
                        "defaultTtl", "5m", "maxTtl", "30m", "allowedJobs", "team/** other", "claims", Map.of("team", "${job}"))),
                "leeway", "30s"));
        EngineConfig c = ConfigDocument.read(doc);
        assertThat(c.issuers().get(0).algorithm()).isEqualTo(SigningAlgorithm.ES256);
        ScopeTemplate t = c.template("deploy").orElseThrow();
        assertThat(t.scope()).containsExactly("deploy", "read");
        assertThat(t.allowedJobs()).containsExactly("team/**", "other");
        assertThat(t.maxTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(t.claims()).containsEntry("team", "${job}");
        assertThat(c.leeway()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    public void documentErrorsNameTheSetting() {
        Object[][] cases = {
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example", "algo", "RS256")))),
                "runIdentity.issuers[0]: unknown setting 'algo'"},
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example")),
                "templates", List.of(Map.of("id", "t", "audiences", "x", "allowedJobs", "**", "maxTtl", "1x")))),
                "runIdentity.templates[0].maxTtl: '1x' is not a duration"},
            {Map.of("runIdentity", Map.of("issuers", "nope")), "runIdentity.issuers must be a list"},
            {Map.of("runidentity", Map.of()), "unknown setting 'runidentity'"},
            {List.of(), "the document must be a mapping"},
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example")),
                "templates", List.of(Map.of("id", "t", "audiences", java.util.Arrays.asList("x", null), "allowedJobs", "**")))),
                "runIdentity.templates[0].audiences[1] is empty"},
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example")),
                "templates", List.of(Map.of("id", "t", "audiences", "x", "allowedJobs", "**", "claims", Map.of("iss", "x"))))),
                "runIdentity.templates[0]: template 't': claim 'iss' is reserved"},
            // an empty entry in a list (YAML "audiences: [~]"): ParserFuzzTest found it threw NullPointerException
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example")),
                "templates", List.of(Map.of("id", "t", "audiences", java.util.Arrays.asList("x", null), "allowedJobs", "**")))),
                "runIdentity.templates[0].audiences[1] is empty"},
            {Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "a", "url", "https://a.example")),
                "templates", List.of(Map.of("id", "t", "audiences", "x", "allowedJobs", java.util.Arrays.asList((Object) null))))),
                "runIdentity.templates[0].allowedJobs[0] is empty"},
        };
        for (Object[] c : cases) {
            assertThatThrownBy(() -> ConfigDocument.read(c[0])).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining((String) c[1]);
        }
    }
}
