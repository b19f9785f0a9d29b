package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.Test;

/**
 * The issuer vouches for a token only in the exact form it minted: neither a token re-signed with the real key and
 * altered claims (same jti, session and expiry), nor a second valid spelling of a genuine token (an ES256 signature
 * with s replaced by n - s), is active at introspection, the /introspect endpoint or {@code engine.verify}; and
 * presenting either to /revoke does not revoke the genuine token.
 */
public class TokenBindingTest extends EngineFixture {
    private static final String FORM = "application/x-www-form-urlencoded";
    /** The order of the P-256 group. */
    private static final BigInteger P256_N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @Test
    public void aTokenReSignedWithTheRealKeyAndAlteredClaimsIsNotVouchedFor() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "deploy"), Fixtures.run("payments/api", 1), "t");
        String genuine = s.token().revealSerialized();
        RSAKey key;
        try (FileStateStore state = FileStateStore.open(dir, clock)) {
            key = state.keys().read("corp").get(0).revealPrivateJwk().toRSAKey();
        }
        Map<String, Object> claims = JWSObject.parse(genuine).getPayload().toJSONObject();
        TokenVerifier relyingParty = TokenVerifier.builder().issuer(Fixtures.ISSUER_URL).audiences("vault", "aws", "prod")
                .algorithms(SigningAlgorithm.RS256).keys((sel, ctx) -> sel.select(engine.publishedKeys("corp")))
                .clock(clock).build();

        List<UnaryOperator<Map<String, Object>>> alterations = List.of(
                c -> put(c, "sub", "job:payments/prod:branch:main"),
                c -> put(c, "job", "payments/prod"),
                c -> put(c, "aud", List.of("prod")),
                c -> put(put(c, "scope", "deploy read admin"), "team", "platform"));
        for (UnaryOperator<Map<String, Object>> alter : alterations) {
            Map<String, Object> altered = alter.apply(new LinkedHashMap<>(claims));
            String forged = sign(key, altered);
            // Same jti, session and expiry as the recorded token, and a valid signature by the issuer's own key.
            assertThatCode(() -> relyingParty.verify(forged)).doesNotThrowAnyException();
            assertInactiveEverywhere("corp", forged);
            revokeOverHttp("corp", forged);
        }
        // The genuine token is untouched by all of that.
        assertThat(engine.introspect("corp", genuine)).isPresent();
        assertThat(engine.verify(genuine).subject()).isEqualTo("job:payments/api:branch:main");
        assertThat(engine.auditRecords(r -> AuditEvent.REVOKED.equals(r.type()))).isEmpty();
    }

    @Test
    public void aSecondSpellingOfAnEs256SignatureIsNotVouchedFor() throws Exception {
        Session s = engine.openSession(MintRequest.of("edge", "edge"), Fixtures.run("a", 1), "t");
        String genuine = s.token().revealSerialized();
        String twin = highSTwin(genuine);
        assertThat(twin).isNotEqualTo(genuine);
        // The twin is a valid signature of the same header and payload: a relying party cannot tell them apart.
        TokenVerifier relyingParty = TokenVerifier.builder().issuer("https://ci.example.com/run-identity/edge")
                .audiences("edge").algorithms(SigningAlgorithm.ES256)
                .keys((sel, ctx) -> sel.select(engine.publishedKeys("edge"))).clock(clock).build();
        assertThat(relyingParty.verify(twin).jti()).isEqualTo(s.token().jti());

        assertInactiveEverywhere("edge", twin);
        // Presenting the twin for revocation revokes nothing: only the token as minted speaks for the session.
        revokeOverHttp("edge", twin);
        assertThat(engine.introspect("edge", genuine)).isPresent();
        assertThat(introspectOverHttp("edge", genuine)).contains("\"active\":true");
        assertThatCode(() -> engine.verify(genuine)).doesNotThrowAnyException();

        // Another process sharing the state learns the binding from the log.
        try (RunIdentityEngine other = Fixtures.engine(engine.config(), dir, clock)) {
            assertThat(other.introspect("edge", genuine)).isPresent();
            assertThat(other.introspect("edge", twin)).isEmpty();
        }
        revokeOverHttp("edge", genuine);
        assertThat(engine.introspect("edge", genuine)).isEmpty();
    }

    @Test
    public void refreshedTokensAreBoundTooAndEveryMintedRecordCarriesTheHashNotTheToken() throws Exception {
        Session first = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t");
        clock.advance(Duration.ofMinutes(1));
        Session second = engine.refresh(first.id());
        for (Session s : List.of(first, second)) {
            String token = s.token().revealSerialized();
            assertThat(engine.introspect("corp", token)).isPresent();
            AuditRecord minted = engine.auditRecords(r -> AuditEvent.MINTED.equals(r.type())
                    && s.token().jti().equals(r.string("jti"))).get(0);
            assertThat(minted.string(SessionLedger.TOKEN_HASH)).isEqualTo(RunIdentityEngine.tokenHash(token)).hasSize(43);
        }
        for (AuditRecord r : engine.auditRecords(r -> true)) {
            assertThat(r.line()).doesNotContain(first.token().revealSerialized().split("\\.")[2]);
        }
        engine.closeSession(first.id(), CloseReason.BLOCK_COMPLETED);
        assertThat(engine.introspect("corp", second.token().revealSerialized())).isEmpty();
    }

    private void assertInactiveEverywhere(String issuer, String token) {
        assertThat(engine.introspect(issuer, token)).as("engine.introspect").isEmpty();
        assertThat(introspectOverHttp(issuer, token)).as("/introspect").isEqualTo("{\"active\":false}");
        Throwable refused = catchThrowable(() -> engine.verify(token));
        assertThat(refused).as("engine.verify").isInstanceOf(TokenRejectedException.class).hasMessageContaining("no record");
        assertThat(refused.getMessage()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    private String introspectOverHttp(String issuer, String token) {
        return endpoint(issuer, "introspect", token).bodyText();
    }

    private void revokeOverHttp(String issuer, String token) {
        assertThat(endpoint(issuer, "revoke", token).status()).isEqualTo(200);
    }

    private EndpointResponse endpoint(String issuer, String what, String token) {
        return engine.endpoints().handle(new EndpointRequest("POST", "/run-identity/" + issuer + "/" + what, null, FORM,
                ("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
    }

    /** The same token with its ES256 signature (r, s) written as (r, n - s): also valid, for the same key and input. */
    static String highSTwin(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = new Base64URL(token.substring(dot + 1)).decode();
        assertThat(sig).hasSize(64);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] flipped = P256_N.subtract(s).toByteArray();
        byte[] out = Arrays.copyOf(sig, 64);
        Arrays.fill(out, 32, 64, (byte) 0);
        int len = Math.min(flipped.length, 32);
        System.arraycopy(flipped, flipped.length - len, out, 64 - len, len);
        return token.substring(0, dot + 1) + Base64URL.encode(out);
    }

    private static String sign(RSAKey key, Map<String, Object> claims) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), new Payload(claims));
        jws.sign(new RSASSASigner(key));
        return jws.serialize();
    }

    private static Map<String, Object> put(Map<String, Object> m, String k, Object v) {
        m.put(k, v);
        return m;
    }
}
