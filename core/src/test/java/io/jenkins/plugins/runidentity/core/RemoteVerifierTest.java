package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A relying party in another process would see exactly this: the issuer's endpoints over real HTTP on the loopback
 * interface, a {@link TokenVerifier} that caches the JWKS as it is told to, and the token status list.
 */
public class RemoteVerifierTest {
    private static final Duration PERIOD = Duration.ofHours(1);
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private MutableClock clock;
    private HttpServer server;
    private RunIdentityEngine engine;
    private String issuerUrl;
    /** Driven-clock time at which each kid was first served in a JWKS response. */
    private final Map<String, Instant> firstServed = new ConcurrentHashMap<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();

    @Before
    public void start() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuerUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/run-identity/corp";
        Path dir = tmp.newFolder().toPath();
        engine = Fixtures.engine(Fixtures.config(new IssuerConfig("corp", issuerUrl, SigningAlgorithm.RS256, PERIOD)), dir, clock);
        server.createContext("/", this::serve);
        server.start();
    }

    private void serve(HttpExchange x) throws IOException {
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readNBytes(IssuerEndpoints.MAX_BODY_BYTES + 1);
        }
        EndpointResponse r = engine.endpoints().handle(new EndpointRequest(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                x.getRequestURI().getRawQuery(), x.getRequestHeaders().getFirst("Content-Type"), body));
        if (r.status() == 200 && x.getRequestURI().getRawPath().endsWith("/jwks")) {
            jwksFetches.incrementAndGet();
            try {
                for (JWK k : JWKSet.parse(r.bodyText()).getKeys()) {
                    firstServed.putIfAbsent(k.getKeyID(), clock.instant());
                }
            } catch (java.text.ParseException e) {
                throw new IOException(e);
            }
        }
        r.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        x.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(r.body());
        }
    }

    @After
    public void stop() {
        server.stop(0);
        engine.close();
    }

    private TokenVerifier relyingParty(JWKSource<SecurityContext> keys) {
        return TokenVerifier.builder().issuer(issuerUrl).audiences("run-identity").algorithms(SigningAlgorithm.RS256)
                .keys(keys).clock(clock).statusList(StatusListClient.remote(issuerUrl, keys, clock, SigningAlgorithm.RS256))
                .build();
    }

    private Session mint() {
        return engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
    }

    private static String kid(Session s) throws Exception {
        return JWSObject.parse(s.token().revealSerialized()).getHeader().getKeyID();
    }

    @Test
    public void aCachingVerifierKeepsVerifyingOldAndNewTokensAcrossThreeRotations() throws Exception {
        TokenVerifier verifier = relyingParty(TokenVerifier.remoteKeys(new URL(issuerUrl + "/jwks"), clock));
        Session first = mint();
        verifier.verify(first.token().revealSerialized()); // caches the JWKS before any rotation
        List<String> signers = new ArrayList<>(List.of(kid(first)));
        int verifications = 1;
        Instant activated = clock.instant();
        for (int rotation = 1; rotation <= 3; rotation++) {
            clock.advance(Duration.between(clock.instant(), activated.plus(PERIOD).minus(Duration.ofMinutes(5))));
            Session old = mint();
            assertThat(kid(old)).isEqualTo(signers.get(signers.size() - 1));
            verifier.verify(old.token().revealSerialized());
            clock.advance(Duration.ofMinutes(5));
            Session fresh = mint(); // the period has passed: this mint rotates
            activated = clock.instant();
            assertThat(kid(fresh)).as("rotation %s", rotation).isNotIn(signers);
            signers.add(kid(fresh));
            for (Session s : List.of(old, fresh)) {
                assertThat(verifier.verify(s.token().revealSerialized()).jti()).isEqualTo(s.token().jti());
                verifications++;
            }
            // the key that now signs was in a JWKS this verifier fetched at least one cache period ago
            assertThat(firstServed.get(kid(fresh))).as("rotation %s", rotation)
                    .isBeforeOrEqualTo(activated.minusSeconds(IssuerEndpoints.CACHE_SECONDS));
        }
        assertThat(verifications).isEqualTo(7);
        assertThat(engine.auditRecords(r -> r.type().equals(AuditEvent.KEY_ACTIVATED) && "corp".equals(r.string("issuer"))))
                .extracting(r -> r.string("kid")).containsExactlyElementsOf(signers);
        // one fetch per cache period at most: never a burst of refetches for unknown keys
        assertThat(jwksFetches.get()).isLessThanOrEqualTo(1 + 3 * 2);
    }

    @Test
    public void aRelyingPartySeesRevocationInTheStatusListOnceItsCopyIsStale() throws Exception {
        JWKSource<SecurityContext> keys = TokenVerifier.remoteKeys(new URL(issuerUrl + "/jwks"), clock);
        TokenVerifier verifier = relyingParty(keys);
        Session kept = mint(), revoked = mint();
        verifier.verify(kept.token().revealSerialized());
        verifier.verify(revoked.token().revealSerialized());
        engine.closeSession(revoked.id(), CloseReason.BLOCK_COMPLETED);
        // a fresh fetch sees the bit at once
        assertThatThrownBy(() -> relyingParty(keys).verify(revoked.token().revealSerialized()))
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("revoked");
        // the cached copy is honoured for its ttl, then refetched
        verifier.verify(revoked.token().revealSerialized());
        clock.advance(Duration.ofSeconds(StatusList.TTL_SECONDS));
        assertThatThrownBy(() -> verifier.verify(revoked.token().revealSerialized()))
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("revoked");
        verifier.verify(kept.token().revealSerialized());
    }

    @Test
    public void theStatusListEndpointAnswersOverHttpWithItsMediaType() throws Exception {
        mint();
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new URL(issuerUrl + "/status/1").openConnection();
        c.setRequestProperty("Accept", "application/statuslist+jwt");
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).isEqualTo("application/statuslist+jwt");
        assertThat(c.getHeaderField("Cache-Control")).isEqualTo("public, max-age=60");
        String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(body.split("\\.")).hasSize(3);
    }
}
