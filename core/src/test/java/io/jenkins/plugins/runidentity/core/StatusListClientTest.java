package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.BeforeClass;
import org.junit.Test;

/** What a relying party refuses when a status list is missing, foreign, stale or malformed. */
public class StatusListClientTest {
    private static final String ISS = "https://ci.example.com/run-identity/corp";
    private static final String URI = ISS + "/status/1";
    private static RSAKey issuerKey, foreignKey;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeClass
    public static void keys() throws Exception {
        issuerKey = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        foreignKey = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
    }

    /** A status list token as the issuer would sign it, with index 1 revoked, changed by {@code edit}. */
    private String list(UnaryOperator<JWTClaimsSet.Builder> edit, JWSHeader.Builder header, RSAKey signer) throws Exception {
        BitSet invalid = new BitSet();
        invalid.set(1);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(ISS).subject(URI).issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plusSeconds(300))).claim("ttl", 60L)
                .claim("status_list", Map.of("bits", 1, "lst", StatusList.encode(invalid, 16)));
        SignedJWT jwt = new SignedJWT(header.keyID(signer.getKeyID()).build(), edit.apply(c).build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType(StatusList.TYPE));
    }

    private StatusListClient client(String body, String contentType, AtomicInteger fetches) {
        return StatusListClient.withFetcher(ISS, new ImmutableJWKSet<>(new JWKSet(issuerKey.toPublicJWK())), clock, url -> {
            fetches.incrementAndGet();
            assertThat(url.toString()).startsWith(ISS + "/");
            return new Resource(body, contentType);
        }, SigningAlgorithm.RS256);
    }

    private static Map<String, Object> token(Object idx, Object uri) {
        return Map.of("status", Map.of("status_list", Map.of("idx", idx, "uri", uri)));
    }

    @Test
    public void aGoodListIsReadAndCachedForItsTtl() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        StatusListClient c = client(list(b -> b, header(), issuerKey), "application/statuslist+jwt", fetches);
        assertThat(c.statusOf(token(0L, URI))).isEqualTo(StatusList.VALID);
        assertThat(c.statusOf(token(1L, URI))).isEqualTo(StatusList.INVALID);
        clock.advance(Duration.ofSeconds(59));
        c.statusOf(token(0L, URI));
        assertThat(fetches).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        c.statusOf(token(0L, URI));
        assertThat(fetches).as("refetched once the ttl has passed").hasValue(2);
    }

    @Test
    public void untrustworthyListsAndReferencesAreRefusedWithTheReason() throws Exception {
        String good = list(b -> b, header(), issuerKey);
        String ct = "application/statuslist+jwt";
        Object[][] table = {
                // token claims, served body, served content type, expected message
                {Map.of("sub", "x"), good, ct, "has no status.status_list claim"},
                {token(-1L, URI), good, ct, "needs a non-negative integer idx and a uri"},
                {token("1", URI), good, ct, "needs a non-negative integer idx and a uri"},
                {token(0L, "https://evil.example/status/1"), good, ct, "is not below its issuer"},
                {token(0L, ISS + "x/status/1"), good, ct, "is not below its issuer"},
                {token(0L, URI), good, "application/json", "was served as 'application/json'"},
                {token(0L, URI), "not a jwt", ct, "is not a signed JWT"},
                {token(0L, URI), list(b -> b, new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT), issuerKey), ct,
                        "has typ JWT, expected statuslist+jwt"},
                {token(0L, URI), list(b -> b, header(), foreignKey), ct, "no published key has id"},
                {token(0L, URI), list(b -> b, header().jwkURL(new java.net.URI("https://evil.example/jwks")), issuerKey), ct,
                        "header parameter 'jku' is not accepted"},
                {token(0L, URI), list(b -> b.issuer("https://other.example"), header(), issuerKey), ct, "was not issued by " + ISS},
                {token(0L, URI), list(b -> b.subject(ISS + "/status/2"), header(), issuerKey), ct, "names a different subject"},
                {token(0L, URI), list(b -> b.issueTime(null), header(), issuerKey), ct, "has no iat"},
                {token(0L, URI), list(b -> b.expirationTime(Date.from(clock.instant().minusSeconds(61))), header(), issuerKey), ct,
                        "expired at"},
                {token(0L, URI), list(b -> b.claim("status_list", Map.of("bits", 1)), header(), issuerKey), ct,
                        "has no valid status_list claim"},
                {token(16L, URI), good, ct, "index 16 is outside the status list of 16 entries"},
                {token(0L, URI), list(b -> b.claim("status_list", Map.of("bits", 1, "lst", Base64URL.encode("junk").toString())),
                        header(), issuerKey), ct, "not ZLIB/DEFLATE data"},
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            Map<String, Object> claims = (Map<String, Object>) row[0];
            StatusListClient c = client((String) row[1], (String) row[2], new AtomicInteger());
            assertThatThrownBy(() -> c.statusOf(claims)).as(String.valueOf(row[3]))
                    .isInstanceOf(TokenRejectedException.class).hasMessageContaining((String) row[3]);
        }
    }

    @Test
    public void aVerifierWithAStatusListClientRefusesARevokedToken() throws Exception {
        StatusListClient c = client(list(b -> b, header(), issuerKey), "application/statuslist+jwt", new AtomicInteger());
        assertThatThrownBy(() -> TokenVerifier.builder().issuer("https://other.example").audiences("a")
                .algorithms(SigningAlgorithm.RS256).keys(new ImmutableJWKSet<>(new JWKSet())).statusList(c).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the status list client trusts issuer");
        TokenVerifier v = TokenVerifier.builder().issuer(ISS).audiences("a").algorithms(SigningAlgorithm.RS256)
                .keys(new ImmutableJWKSet<>(new JWKSet(issuerKey.toPublicJWK()))).clock(clock).statusList(c).build();
        for (long idx : new long[] {0, 1}) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISS).subject("job:x").audience("a").jwtID("j" + idx)
                    .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(60)))
                    .claim("status", Map.of("status_list", Map.of("idx", idx, "uri", URI))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerKey.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(issuerKey));
            if (idx == 0) {
                assertThat(v.verify(jwt.serialize()).jti()).isEqualTo("j0");
            } else {
                assertThatThrownBy(() -> v.verify(jwt.serialize())).isInstanceOf(TokenRejectedException.class)
                        .hasMessage("the token was revoked (its status list says INVALID)");
            }
        }
    }
}
