package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Exchanges against a scripted downstream: what is sent, what is audited, and how every failure is explained. */
public class DownstreamExchangeTest {
    static final String REALM = "https://sso.example.com/realms/ci";
    static final String TOKEN_URL = REALM + "/protocol/openid-connect/token";
    static final String REVOKE_URL = REALM + "/protocol/openid-connect/revoke";
    static final String DISCOVERY = "{\"issuer\":\"" + REALM + "\",\"token_endpoint\":\"" + TOKEN_URL + "\"}";
    static final String ACCESS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJlLW9mLWtleWNsb2Fr";

    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private MutableClock clock;
    private RunIdentityEngine engine;
    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<DownstreamHttp.Request> sent = new ArrayList<>();
    private DownstreamExchange exchange;
    private Session run;

    static EngineConfig config() {
        EngineConfig base = Fixtures.config();
        List<ScopeTemplate> templates = new ArrayList<>(base.templates());
        templates.add(ScopeTemplate.builder("sso").audiences(REALM, "https://other.example.com").subject("job:${job}")
                .allowedJobs("payments/**").issuers("corp").build());
        return new EngineConfig(base.issuers(), templates, null, null, List.of(
                ExchangeProfile.builder("sso").tokenEndpoint(TOKEN_URL).revocationEndpoint(REVOKE_URL).discovery(REALM)
                        .template("sso").clientId("ci").scope("profile").build(),
                ExchangeProfile.builder("fixed").tokenEndpoint(TOKEN_URL).assertionAudience("https://other.example.com")
                        .template("sso").build(),
                ExchangeProfile.builder("te").grant(ExchangeGrant.TOKEN_EXCHANGE).tokenEndpoint(TOKEN_URL).discovery(REALM)
                        .template("sso").clientId("ci app").clientSecret("sso-secret").audience("api").revocationEndpoint(REVOKE_URL)
                        .build(),
                ExchangeProfile.builder("elsewhere").tokenEndpoint("https://sso.example.com:8443/realms/ci/protocol/openid-connect/token")
                        .discovery(REALM).template("sso").build(),
                ExchangeProfile.builder("foreign").tokenEndpoint("https://foreign.example.com/token")
                        .discovery("https://foreign.example.com").template("sso").build()));
    }

    @Before
    public void start() throws Exception {
        clock = MutableClock.atNow();
        engine = RunIdentityEngine.start(config(), FileStateStore.open(tmp.newFolder("state").toPath(), clock), clock);
        DownstreamHttp scripted = request -> {
            sent.add(request);
            Object next = answers.poll();
            if (next instanceof IOException e) {
                throw e;
            }
            if (next == null) {
                throw new AssertionError("unexpected request " + request);
            }
            return (DownstreamHttp.Response) next;
        };
        exchange = new DownstreamExchange(engine, scripted, name -> {
            assertThat(name).isEqualTo("sso-secret");
            return "s3cr:t";
        }, clock);
        run = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("payments/api", 9), "test");
    }

    @After
    public void stop() {
        engine.close();
    }

    private void answer(int status, String json) {
        answers.add(new DownstreamHttp.Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> form(DownstreamHttp.Request r) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String kv : new String(r.body(), StandardCharsets.UTF_8).split("&")) {
            String[] p = kv.split("=", 2);
            form.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        return form;
    }

    private String audit() {
        StringBuilder all = new StringBuilder();
        engine.auditRecords(r -> true).forEach(r -> {
            Map<String, Object> fields = new LinkedHashMap<>(r.content());
            fields.keySet().removeAll(List.of("seq", "time", "event", "prev"));
            all.append(r.type()).append(' ').append(fields).append('\n');
        });
        return all.toString();
    }

    @Test
    public void clientCredentialsPresentsAFreshSingleAudienceAssertionAndAuditsNoToken() throws Exception {
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"" + ACCESS + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"profile\"}");
        DownstreamToken token = exchange.exchange("sso", run, "test");

        assertThat(token.revealAccessToken()).isEqualTo(ACCESS);
        assertThat(token.expiresAt()).contains(token.obtainedAt().plusSeconds(300));
        assertThat(token.toString()).doesNotContain(ACCESS);
        assertThat(sent.get(0).method()).isEqualTo("GET");
        assertThat(sent.get(0).uri()).hasToString(REALM + "/.well-known/openid-configuration");
        DownstreamHttp.Request post = sent.get(1);
        assertThat(post.uri()).hasToString(TOKEN_URL);
        assertThat(post.headers()).containsEntry("Content-Type", "application/x-www-form-urlencoded").doesNotContainKey("Authorization");
        Map<String, String> form = form(post);
        assertThat(form).containsOnlyKeys("grant_type", "client_assertion_type", "client_assertion", "client_id", "scope")
                .containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("client_id", "ci").containsEntry("scope", "profile");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        var c = assertion.getJWTClaimsSet();
        assertThat(c.getAudience()).containsExactly(REALM);
        assertThat(c.getSubject()).isEqualTo("job:payments/api").isNotEqualTo(c.getIssuer());
        assertThat(c.getExpirationTime().getTime() - c.getIssueTime().getTime()).isEqualTo(60_000);
        assertThat(c.getJWTID()).isNotEqualTo(run.token().jti());
        assertThat(engine.introspect("corp", form.get("client_assertion"))).as("revoked right after use").isEmpty();
        assertThat(engine.introspect("corp", run.token().revealSerialized())).as("the run's own token").isPresent();

        String audit = audit();
        assertThat(audit).contains("exchanged {profile=sso, endpoint=" + TOKEN_URL + ", session=" + run.id())
                .contains("grant=client-credentials").contains("expires_in=300").contains("reason=assertion-presented")
                .doesNotContain(ACCESS).doesNotContain(assertion.getSignature().toString());
    }

    @Test
    public void everyCallGetsItsOwnAssertionAndDiscoveryIsCached() throws Exception {
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"a1\",\"token_type\":\"Bearer\"}");
        answer(200, "{\"access_token\":\"a2\",\"token_type\":\"Bearer\"}");
        answer(200, "");
        DownstreamToken first = exchange.exchange("sso", run, "test");
        DownstreamToken second = exchange.exchange("sso", run, "test");
        assertThat(exchange.revoke(second, run, "test")).isEqualTo(DownstreamRevocation.revoked());
        assertThat(first.revealAccessToken()).isEqualTo("a1");
        assertThat(sent).hasSize(4);
        assertThat(sent.stream().filter(r -> r.method().equals("GET"))).hasSize(1);
        List<String> jtis = new ArrayList<>();
        for (DownstreamHttp.Request r : sent.subList(1, 4)) {
            jtis.add(SignedJWT.parse(form(r).get("client_assertion")).getJWTClaimsSet().getJWTID());
        }
        assertThat(jtis).doesNotHaveDuplicates();
        Map<String, String> revoke = form(sent.get(3));
        assertThat(sent.get(3).uri()).hasToString(REVOKE_URL);
        assertThat(revoke).containsEntry("token", "a2").containsEntry("token_type_hint", "access_token").containsKey("client_assertion");
        assertThat(audit()).contains("downstream-revoked {profile=sso, endpoint=" + REVOKE_URL);

        clock.advance(DownstreamExchange.DISCOVERY_CACHE.plusSeconds(1));
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"a3\"}");
        assertThat(exchange.exchange("sso", run, "test").tokenType()).isEqualTo("Bearer");
        assertThat(sent.get(4).method()).as("discovery again after the cache expired").isEqualTo("GET");
    }

    @Test
    public void tokenExchangeSendsTheAssertionAsSubjectTokenAndAuthenticatesWithTheSecret() throws Exception {
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"refresh_token\":\"r\",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"}");
        DownstreamToken t = exchange.exchange("te", run, "test");
        DownstreamHttp.Request post = sent.get(1);
        assertThat(post.headers().get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("ci+app:s3cr%3At".getBytes(StandardCharsets.UTF_8)));
        assertThat(post.toString()).doesNotContain("Basic").doesNotContain("s3cr");
        Map<String, String> form = form(post);
        assertThat(form).containsOnlyKeys("grant_type", "subject_token", "subject_token_type", "requested_token_type", "audience")
                .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:jwt").containsEntry("audience", "api");
        assertThat(SignedJWT.parse(form.get("subject_token")).getJWTClaimsSet().getAudience()).containsExactly(REALM);

        answer(200, "");
        answer(400, "{\"error\":\"unsupported_token_type\"}");
        DownstreamRevocation outcome = exchange.revoke(t, run, "test");
        assertThat(outcome.status()).isEqualTo(DownstreamRevocation.Status.FAILED);
        assertThat(outcome.reason()).isEqualTo("revoking the downstream refresh token of exchange 'te' failed: " + REVOKE_URL
                + " answered 400 'unsupported_token_type'");
        assertThat(form(sent.get(2))).containsEntry("token", "x").containsEntry("token_type_hint", "access_token");
        assertThat(form(sent.get(3))).containsEntry("token", "r").containsEntry("token_type_hint", "refresh_token");
        assertThat(audit()).contains("downstream-revoked {profile=te").contains("downstream-revoke-failed {profile=te")
                .doesNotContain("=r,").doesNotContain("s3cr");
    }

    @Test
    public void revocationNeedsAnAnswerWithoutAnError() {
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"k\"}");
        DownstreamToken t = exchange.exchange("sso", run, "test");
        answer(200, "{\"error\":\"invalid_token\",\"error_description\":\"Invalid token\"}");
        assertThat(exchange.revoke(t, run, "test")).isEqualTo(DownstreamRevocation.failed("revoking the downstream access token of"
                + " exchange 'sso' failed: " + REVOKE_URL + " answered 200 'invalid_token': 'Invalid token' (assertion: iss '"
                + Fixtures.ISSUER_URL + "', sub 'job:payments/api', aud '" + REALM + "', kid '" + engine.keys("corp").get(0).kid() + "')"));
        answers.add(new IOException("connection refused or unreachable"));
        assertThat(exchange.revoke(t, run, "test").reason()).isEqualTo("revoking the downstream access token of exchange 'sso': no usable answer"
                + " from " + REVOKE_URL + ": connection refused or unreachable");
        assertThat(audit()).contains("downstream-revoke-failed {profile=sso").contains("reason=revoking the downstream");

        answer(200, "{\"access_token\":\"f\"}");
        DownstreamToken fixed = exchange.exchange("fixed", run, "test");
        assertThat(exchange.revoke(fixed, run, "test")).isEqualTo(DownstreamRevocation.notConfigured());
    }

    @Test
    public void failuresAreExplainedInOneLineWithoutTokens() {
        String kid = engine.keys("corp").get(0).kid();
        String presented = " (assertion: iss '" + Fixtures.ISSUER_URL + "', sub 'job:payments/api', aud '" + REALM + "', kid '" + kid + "')";
        Object[][] cases = {
            {400, "{\"error\":\"invalid_client\",\"error_description\":\"Token reuse detected\"}", true,
                "exchange 'sso' failed: " + TOKEN_URL + " answered 400 'invalid_client': 'Token reuse detected'" + presented},
            {401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}", true,
                "exchange 'sso' failed: " + TOKEN_URL + " answered 401 'invalid_client': 'Invalid client or Invalid client credentials'"
                        + presented + "; the downstream did not accept the assertion's issuer, subject or signature: it must trust"
                        + " this issuer, expect this subject, and be able to fetch this key from the issuer's JWKS"},
            {400, "{\"error\":\"invalid_request\",\"error_description\":\"bad token " + ACCESS + "\\nforged line\"}", true,
                "exchange 'sso' failed: " + TOKEN_URL + " answered 400 'invalid_request': 'bad token [token removed]\\u000aforged line'"
                        + presented},
            {503, "<html>maintenance</html>", false, "exchange 'sso' failed: " + TOKEN_URL + " answered 503" + presented},
            {429, "{\"error\":\"slow_down\"}", false, "exchange 'sso' failed: " + TOKEN_URL + " answered 429 'slow_down'" + presented},
            {200, "{\"token_type\":\"Bearer\"}", false, "exchange 'sso' failed: " + TOKEN_URL + " answered 200 but without an access_token"},
            {200, "not json", false, "exchange 'sso' failed: " + TOKEN_URL + " answered 200 but not with a JSON object"},
            {-1, "connection refused or unreachable", false, "exchange 'sso': no usable answer from " + TOKEN_URL + ": connection refused or unreachable"},
        };
        for (Object[] c : cases) {
            answers.clear();
            answer(200, DISCOVERY);
            if ((int) c[0] < 0) {
                answers.add(new IOException((String) c[1]));
            } else {
                answer((int) c[0], (String) c[1]);
            }
            exchange = new DownstreamExchange(engine, r -> {
                sent.add(r);
                Object next = answers.poll();
                if (next instanceof IOException e) {
                    throw e;
                }
                return (DownstreamHttp.Response) next;
            }, ClientSecrets.NONE, clock);
            assertThatThrownBy(() -> exchange.exchange("sso", run, "test")).as(c[1].toString())
                    .isInstanceOfSatisfying(ExchangeFailedException.class, e -> assertThat(e.refused()).isEqualTo(c[2]))
                    .hasMessage((String) c[3]);
        }
        assertThat(audit()).contains("exchange-failed {profile=sso").doesNotContain(ACCESS);
    }

    @Test
    public void secretsADownstreamEchoesAreRemovedWhateverTheirShape() throws Exception {
        // Opaque (not JWT-shaped) tokens with characters that form encoding changes.
        String access = "opaque+AT/" + "Qw3rTy8uIo1pAsDfGh2jKlZxCvBn4mM5".repeat(2) + "==";
        String refresh = "RT~" + "9zYxWvUtSr7qPoNm6lKjIhGf5eDcBa0Z".repeat(2) + ".rt";
        answer(200, DISCOVERY);
        answer(200, "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"token_type\":\"Bearer\"}");
        DownstreamToken t = exchange.exchange("sso", run, "test");
        String both = access + " " + refresh;
        String echoes = "cannot revoke " + both + " (sent: token=" + java.net.URLEncoder.encode(access, StandardCharsets.UTF_8)
                + ") starting " + refresh.substring(3, 23);
        answer(400, json("invalid_token " + refresh, echoes));
        answer(400, json(access, echoes));
        DownstreamRevocation outcome = exchange.revoke(t, run, "test");
        assertThat(outcome.status()).isEqualTo(DownstreamRevocation.Status.FAILED);
        assertThat(outcome.reason()).startsWith("revoking the downstream access token of exchange 'sso' failed: " + REVOKE_URL
                + " answered 400 'invalid_token [secret removed]': 'cannot revoke [secret removed] [secret removed] (sent: token=");
        String shown = outcome.reason() + "\n" + audit();
        assertThat(audit()).contains("downstream-revoke-failed {profile=sso").contains("[secret removed]");
        assertNoPieceOf(shown, access, refresh);

        // The client secret, the Basic header made of it and the assertion (or a piece of it that is not JWT-shaped).
        String[] assertion = new String[1];
        exchange = new DownstreamExchange(engine, request -> {
            if (request.method().equals("GET")) {
                return new DownstreamHttp.Response(200, "application/json", DISCOVERY.getBytes(StandardCharsets.UTF_8));
            }
            String subject = form(request).get("subject_token");
            assertion[0] = subject;
            String basic = request.headers().get("Authorization");
            String echo = "client s3cr:t with " + basic + " presented " + subject.substring(subject.lastIndexOf('.') + 1)
                    + " in " + subject;
            return new DownstreamHttp.Response(401, "application/json", json("bad s3cr:t", echo).getBytes(StandardCharsets.UTF_8));
        }, name -> "s3cr:t", clock);
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> exchange.exchange("te", run, "test"));
        assertThat(refused).isInstanceOf(ExchangeFailedException.class).hasMessageContaining("answered 401 'bad [secret removed]'");
        shown = refused.getMessage() + "\n" + audit();
        assertThat(shown).doesNotContain("s3cr:t").doesNotContain("s3cr%3At").doesNotContain("Basic Y2k");
        assertNoPieceOf(shown, assertion[0], Base64.getEncoder().encodeToString("ci+app:s3cr%3At".getBytes(StandardCharsets.UTF_8)),
                run.token().revealSerialized());
    }

    private static String json(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(body);
    }

    /** No run of {@value DownstreamExchange.Secrets#WINDOW} characters of any secret shows. */
    private static void assertNoPieceOf(String shown, String... secrets) {
        for (String secret : secrets) {
            for (int i = 0; i + DownstreamExchange.Secrets.WINDOW <= secret.length(); i++) {
                String piece = secret.substring(i, i + DownstreamExchange.Secrets.WINDOW);
                assertThat(shown).as("a piece of a secret").doesNotContain(piece);
            }
        }
    }

    @Test
    public void discoveryAndPolicyProblemsAreRefusedBeforeAnythingIsSent() {
        answer(200, DISCOVERY);
        assertThatThrownBy(() -> exchange.exchange("elsewhere", run, "test")).isInstanceOf(ExchangeFailedException.class)
                .hasMessage("exchange 'elsewhere': the discovery document " + REALM + "/.well-known/openid-configuration names the"
                        + " token endpoint '" + TOKEN_URL + "', but the profile posts to 'https://sso.example.com:8443/realms/ci/"
                        + "protocol/openid-connect/token'; use the same scheme, host and port in both, because the downstream"
                        + " derives the audience it expects from the address it is called at");
        answer(200, "{\"issuer\":\"https://foreign.example.com\"}");
        assertThatThrownBy(() -> exchange.exchange("foreign", run, "test")).isInstanceOf(ExchangeFailedException.class)
                .hasMessage("exchange 'foreign': cannot mint its assertion: audience 'https://foreign.example.com' is not allowed by"
                        + " template 'sso'; allowed audiences: " + REALM + ", https://other.example.com");
        answer(404, "{}");
        exchange = new DownstreamExchange(engine, r -> (DownstreamHttp.Response) answers.poll(), ClientSecrets.NONE, clock);
        assertThatThrownBy(() -> exchange.exchange("sso", run, "test")).hasMessage("exchange 'sso': the discovery document "
                + REALM + "/.well-known/openid-configuration answered 404 instead of 200");
        Session other = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("web/site", 1), "test");
        assertThatThrownBy(() -> exchange.exchange("fixed", other, "test")).hasMessage("exchange 'fixed': cannot mint its assertion:"
                + " job 'web/site' may not use template 'sso'; allowed jobs: payments/**");
        assertThatThrownBy(() -> exchange.exchange("nope", run, "test"))
                .hasMessage("unknown exchange profile 'nope'; configured profiles: sso, fixed, te, elsewhere, foreign");
    }
}
