package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An attacker's workshop: forged, altered and broken tokens, built with Nimbus and by hand, each of which introspection
 * (the engine and the HTTP endpoint), the engine's verifier and a relying party's {@link TokenVerifier} must refuse.
 * Claim-level cases are re-signed with the issuer's real private key, so that each is refused for its own fault and not
 * merely for a bad signature; controls prove that such re-signed tokens are otherwise accepted.
 */
public class ForgedTokensTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private MutableClock clock;
    private Path dir;
    private RunIdentityEngine engine;
    private HttpServer trap;
    private final AtomicInteger fetched = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    private RSAKey corpKey;
    private ECKey edgeKey;
    private RSAKey attacker;
    private String genuine;
    private String other;
    private Map<String, Object> claims;
    private long now;

    /** One forged token; {@code why} is a fragment of the reason the relying party's verifier must give. */
    private record Case(String name, String token, String why) {}

    @Before
    public void start() throws Exception {
        clock = MutableClock.atNow();
        dir = tmp.newFolder("state").toPath();
        engine = Fixtures.engine(dir, clock);
        try (FileStateStore keys = FileStateStore.open(dir, clock)) {
            corpKey = keys.keys().read("corp").get(0).revealPrivateJwk().toRSAKey();
            edgeKey = keys.keys().read("edge").get(0).revealPrivateJwk().toECKey();
        }
        attacker = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        // Anything that fetches a jku or x5u would land here, and find the attacker's key.
        trap = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        trap.createContext("/", exchange -> {
            fetched.incrementAndGet();
            byte[] body = new JWKSet(attacker.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trap.start();
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("team/app", 1), "test");
        genuine = s.token().revealSerialized();
        other = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("team/app", 2), "test").token().revealSerialized();
        claims = JWSObject.parse(genuine).getPayload().toJSONObject();
        now = clock.instant().getEpochSecond();
    }

    @After
    public void stop() {
        trap.stop(0);
        engine.close();
    }

    @Test
    public void everyForgedOrBrokenTokenIsRefusedEverywhere() throws Exception {
        // Controls: the genuine token, and the same claims re-signed by the real key, pass every check.
        TokenVerifier relyingParty = relyingParty(engine);
        for (String ok : new String[] {genuine, resign(c -> c)}) {
            assertThat(engine.introspect("corp", ok)).isPresent();
            assertThatCode(() -> engine.verify(ok)).doesNotThrowAnyException();
            assertThatCode(() -> relyingParty.verify(ok)).doesNotThrowAnyException();
        }

        List<Case> cases = forgeries();
        List<String> accepted = new ArrayList<>();
        int tried = 0;
        for (Case c : cases) {
            check(engine, relyingParty, c, accepted);
            tried++;
        }

        // A retired key whose tokens have all expired signs nothing that is still accepted.
        List<Case> retired = new ArrayList<>();
        RunIdentityEngine rotated = engineWithRetiredKey(retired);
        try {
            TokenVerifier rp = relyingParty(rotated);
            for (Case c : retired) {
                check(rotated, rp, c, accepted);
                tried++;
            }
        } finally {
            rotated.close();
        }

        assertThat(accepted).as("cases not refused as expected").isEmpty();
        assertThat(fetched).as("jku / x5u URLs must never be fetched").hasValue(0);
        assertThat(tried).isGreaterThanOrEqualTo(50);
        System.out.println("forged-token cases: " + tried + " tried, 0 accepted by engine introspection, the /introspect"
                + " endpoint, engine.verify or a relying party's TokenVerifier; jku/x5u fetches: " + fetched.get());
    }

    /** Checks one case; collects a failure rather than stopping, so that one run reports every case that got through. */
    private void check(RunIdentityEngine e, TokenVerifier rp, Case c, List<String> failures) {
        try {
            assertRefused(e, rp, c);
        } catch (AssertionError failure) {
            failures.add(failure.getMessage().strip().replaceAll("\\s+", " "));
        }
    }

    private void assertRefused(RunIdentityEngine e, TokenVerifier rp, Case c) {
        String token = c.token();
        assertThat(e.introspect("corp", token)).as(c.name() + ": engine introspection").isEmpty();
        EndpointResponse r = e.endpoints().handle(new EndpointRequest("POST", "/run-identity/corp/introspect", null, FORM,
                ("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).as(c.name() + ": endpoint status").isEqualTo(200);
        assertThat(r.bodyText()).as(c.name() + ": endpoint answer").isEqualTo("{\"active\":false}");
        Throwable byEngine = catchThrowable(() -> e.verify(token));
        assertThat(byEngine).as(c.name() + ": engine.verify").isInstanceOf(TokenRejectedException.class);
        Throwable byRp = catchThrowable(() -> rp.verify(token));
        assertThat(byRp).as(c.name() + ": relying party").isInstanceOf(TokenRejectedException.class);
        assertThat(byRp.getMessage()).as(c.name() + ": reason").contains(c.why());
        String tail = token.contains(".") ? token.substring(token.lastIndexOf('.') + 1) : token;
        for (Throwable t : new Throwable[] {byEngine, byRp}) {
            assertThat(t.getMessage()).as(c.name() + ": the message must not quote the token").doesNotContain(token);
            if (tail.length() > 20) {
                assertThat(t.getMessage()).as(c.name()).doesNotContain(tail);
            }
        }
    }

    private TokenVerifier relyingParty(RunIdentityEngine e) {
        return TokenVerifier.builder().issuer(Fixtures.ISSUER_URL).audiences("run-identity").algorithms(SigningAlgorithm.RS256)
                .keys((selector, ctx) -> selector.select(e.publishedKeys("corp"))).clock(clock).expiryLeeway(Duration.ZERO)
                // A relying party that learns revocations (e.g. from a status list) refuses revoked tokens too.
                .revocation(jti -> !e.auditRecords(r -> "revoked".equals(r.type()) && jti.equals(r.string("jti"))).isEmpty())
                .build();
    }

    private List<Case> forgeries() throws Exception {
        List<Case> cases = new ArrayList<>();
        String[] parts = genuine.split("\\.");
        String h = parts[0], p = parts[1], sig = parts[2];
        String kid = corpKey.getKeyID();
        String payloadJson = new Base64URL(p).decodeToString();
        String realHeader = "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";

        // alg: none, in every spelling, with and without a signature
        cases.add(new Case("alg none, no signature", raw("{\"alg\":\"none\"}", payloadJson, ""), "malformed"));
        cases.add(new Case("alg none with kid and typ", raw("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", payloadJson, ""), "malformed"));
        cases.add(new Case("alg none, real signature kept", raw("{\"alg\":\"none\"}", payloadJson, sig), "malformed"));
        cases.add(new Case("alg NONE", raw("{\"alg\":\"NONE\",\"kid\":\"" + kid + "\"}", payloadJson, ""), "malformed"));
        cases.add(new Case("alg None", raw("{\"alg\":\"None\",\"kid\":\"" + kid + "\"}", payloadJson, sig), "not accepted"));

        // HMAC with the public key as the secret (key confusion), in each form an attacker might guess
        byte[] der = corpKey.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        byte[][] secrets = {der, pem.getBytes(StandardCharsets.US_ASCII), corpKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
            corpKey.getModulus().decode(), new JWKSet(corpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8)};
        String[] forms = {"DER", "PEM", "JWK JSON", "modulus", "JWKS JSON"};
        for (int i = 0; i < secrets.length; i++) {
            cases.add(new Case("HS256 keyed with the public key as " + forms[i],
                    sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims, new MACSigner(secrets[i])),
                    "not accepted"));
        }
        cases.add(new Case("HS384 keyed with the public key", sign(new JWSHeader.Builder(JWSAlgorithm.HS384).keyID(kid).build(), claims, new MACSigner(der)), "not accepted"));
        cases.add(new Case("HS512 keyed with the public key", sign(new JWSHeader.Builder(JWSAlgorithm.HS512).keyID(kid).build(), claims, new MACSigner(der)), "not accepted"));

        // algorithm swaps, several with genuine signatures by the real keys
        cases.add(new Case("RS256 token relabelled ES256", raw("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}", payloadJson, sig), "not accepted"));
        cases.add(new Case("PS256 by the real key", sign(header(JWSAlgorithm.PS256, kid), claims, new RSASSASigner(corpKey)), "not accepted"));
        cases.add(new Case("RS384 by the real key", sign(header(JWSAlgorithm.RS384, kid), claims, new RSASSASigner(corpKey)), "not accepted"));
        cases.add(new Case("RS512 by the real key", sign(header(JWSAlgorithm.RS512, kid), claims, new RSASSASigner(corpKey)), "not accepted"));
        cases.add(new Case("ES256 by the other issuer's real key, our kid", sign(header(JWSAlgorithm.ES256, kid), claims, new ECDSASigner(edgeKey)), "not accepted"));
        cases.add(new Case("ES256 by the other issuer's real key, its kid", sign(header(JWSAlgorithm.ES256, edgeKey.getKeyID()), claims, new ECDSASigner(edgeKey)), "not accepted"));
        String es = sign(header(JWSAlgorithm.ES256, edgeKey.getKeyID()), claims, new ECDSASigner(edgeKey));
        cases.add(new Case("ES256 signature relabelled RS256", raw(realHeader, payloadJson, es.split("\\.")[2]), "signature"));

        // kid: unknown, injected, path-like, of the wrong type, huge; and the real kid over a foreign key
        cases.add(new Case("unknown kid", sign(header(JWSAlgorithm.RS256, attacker.getKeyID()), claims, new RSASSASigner(attacker)), "no published key"));
        cases.add(new Case("path-like kid", sign(header(JWSAlgorithm.RS256, "../../keys/corp.json"), claims, new RSASSASigner(attacker)), "no published key"));
        cases.add(new Case("path-like kid, real key", sign(header(JWSAlgorithm.RS256, "../keys/corp"), claims, new RSASSASigner(corpKey)), "no published key"));
        cases.add(new Case("SQL in kid", sign(header(JWSAlgorithm.RS256, "' OR '1'='1"), claims, new RSASSASigner(attacker)), "no published key"));
        cases.add(new Case("control characters in kid", sign(header(JWSAlgorithm.RS256, "a\u0000b\nc"), claims, new RSASSASigner(corpKey)), "no published key"));
        cases.add(new Case("no kid, real key", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims, new RSASSASigner(corpKey)), "names no key"));
        cases.add(new Case("numeric kid", raw("{\"alg\":\"RS256\",\"kid\":42}", payloadJson, sig), "malformed"));
        cases.add(new Case("10k-character kid", sign(header(JWSAlgorithm.RS256, "k".repeat(10_000)), claims, new RSASSASigner(attacker)), "no published key"));
        cases.add(new Case("real kid, attacker's key", sign(header(JWSAlgorithm.RS256, kid), claims, new RSASSASigner(attacker)), "signature"));

        // jku, x5u, jwk, x5c: never fetched, never trusted
        URI trapUrl = URI.create("http://127.0.0.1:" + trap.getAddress().getPort() + "/jwks");
        cases.add(new Case("jku to the attacker's JWKS", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()).jwkURL(trapUrl).build(),
                claims, new RSASSASigner(attacker)), "jku"));
        cases.add(new Case("x5u to the attacker", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()).x509CertURL(trapUrl).build(),
                claims, new RSASSASigner(attacker)), "x5u"));
        cases.add(new Case("embedded jwk", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(attacker.toPublicJWK()).build(), claims, new RSASSASigner(attacker)), "jwk"));
        cases.add(new Case("embedded jwk under our kid", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwk(attacker.toPublicJWK()).build(),
                claims, new RSASSASigner(attacker)), "jwk"));
        cases.add(new Case("jku beside a genuine signature", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwkURL(trapUrl).build(),
                claims, new RSASSASigner(corpKey)), "jku"));
        cases.add(new Case("x5c chain", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid)
                .x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode(der))).build(), claims, new RSASSASigner(corpKey)), "x5c"));

        // crit and unknown header parameters, each over a genuine signature
        cases.add(new Case("crit naming exp", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).customParam("exp", now + 60)
                .criticalParams(Set.of("exp")).build(), claims, new RSASSASigner(corpKey)), "is not accepted"));
        cases.add(new Case("crit b64=false", signRawHeader("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"b64\":false,\"crit\":[\"b64\"]}", payloadJson), "b64"));
        cases.add(new Case("empty crit", signRawHeader("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"crit\":[]}", payloadJson), "crit"));
        cases.add(new Case("unknown header parameter", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).customParam("zip", "DEF").build(),
                claims, new RSASSASigner(corpKey)), "zip"));
        cases.add(new Case("typ at+jwt", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(new JOSEObjectType("at+jwt")).build(),
                claims, new RSASSASigner(corpKey)), "token type"));
        cases.add(new Case("duplicate alg in the header", signRawHeader("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", payloadJson), "malformed"));

        // tampering with a genuine token
        cases.add(new Case("payload altered, signature kept", raw(realHeader, payloadJson.replace("job:team/app", "job:team/admin"), sig), "signature"));
        cases.add(new Case("header altered (typ), signature kept", raw("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"typ\":\"jwt\"}", payloadJson, sig), "signature"));
        cases.add(new Case("last signature character flipped", h + "." + p + "." + flip(sig, sig.length() - 2), "signature"));
        cases.add(new Case("first signature character flipped", h + "." + p + "." + flip(sig, 0), "signature"));
        cases.add(new Case("signature of another token", h + "." + p + "." + other.split("\\.")[2], "signature"));
        cases.add(new Case("empty signature", h + "." + p + ".", "malformed"));
        cases.add(new Case("padded signature", genuine + "==", "malformed"));
        cases.add(new Case("payload of another token", h + "." + other.split("\\.")[1] + "." + sig, "signature"));

        // truncated, extra segments, stray characters
        cases.add(new Case("two segments", h + "." + p, "3 dot-separated parts"));
        cases.add(new Case("truncated in the signature", genuine.substring(0, genuine.length() - 42), "signature"));
        cases.add(new Case("truncated in the payload", h + "." + p.substring(0, p.length() / 2) + "." + sig, "malformed"));
        cases.add(new Case("a fourth segment", genuine + ".", "3 dot-separated parts"));
        cases.add(new Case("five segments of a JWS", genuine + "." + sig + "." + sig, "encrypted"));
        cases.add(new Case("leading dot", "." + genuine, "3 dot-separated parts"));
        cases.add(new Case("trailing newline", genuine + "\n", "malformed"));
        cases.add(new Case("Bearer prefix", "Bearer " + genuine, "malformed"));

        // a JWE where a JWS is expected
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM).keyID(kid).build(), new Payload(claims));
        jwe.encrypt(new RSAEncrypter(corpKey.toRSAPublicKey()));
        cases.add(new Case("JWE to our public key", jwe.serialize(), "encrypted"));
        JWEObject nested = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM).contentType("JWT").build(),
                new Payload(genuine));
        nested.encrypt(new RSAEncrypter(corpKey.toRSAPublicKey()));
        cases.add(new Case("JWE wrapping the genuine JWS", nested.serialize(), "encrypted"));
        byte[] cek = new byte[32];
        random.nextBytes(cek);
        JWEObject direct = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(claims));
        direct.encrypt(new DirectEncrypter(cek));
        cases.add(new Case("JWE with alg dir", direct.serialize(), "encrypted"));

        // dates, each re-signed by the real key
        long leeway = Fixtures.config().leeway().getSeconds();
        cases.add(new Case("expired a second ago", resign(c -> put(put(c, "iat", now - 301), "exp", now - 1)), "expired"));
        cases.add(new Case("expires this second", resign(c -> put(put(c, "iat", now - 300), "exp", now)), "expired"));
        cases.add(new Case("expired a year ago", resign(c -> put(put(c, "iat", now - 400 * 86400L), "exp", now - 365 * 86400L)), "expired"));
        cases.add(new Case("nbf beyond the leeway", resign(c -> put(c, "nbf", now + leeway + 10)), "not valid before"));
        cases.add(new Case("iat beyond the leeway", resign(c -> put(put(c, "iat", now + leeway + 10), "exp", now + 3600)), "issued in the future"));
        cases.add(new Case("exp before iat", resign(c -> put(put(c, "iat", now + 30), "exp", now + 20)), "expires before"));
        cases.add(new Case("exp as a float", resignJson(payloadJson.replaceFirst("\"exp\":(\\d+)", "\"exp\":$1.0")), "whole number"));
        cases.add(new Case("exp in scientific notation", resignJson(payloadJson.replaceFirst("\"exp\":(\\d)(\\d+)", "\"exp\":$1.$2e9")), "whole number"));
        cases.add(new Case("iat as a float", resignJson(payloadJson.replaceFirst("\"iat\":(\\d+)", "\"iat\":$1.5")), "whole number"));
        cases.add(new Case("nbf in scientific notation", resignJson(payloadJson.replaceFirst("\"nbf\":(\\d+)", "\"nbf\":$1E0")), "whole number"));
        cases.add(new Case("exp as a string", resign(c -> put(c, "exp", String.valueOf(now + 300))), "whole number"));
        cases.add(new Case("negative exp", resign(c -> put(c, "exp", -1L)), "out of range"));
        cases.add(new Case("exp beyond 64 bits", resignJson(payloadJson.replaceFirst("\"exp\":(\\d+)", "\"exp\":123456789012345678901234567890")), "whole number"));
        cases.add(new Case("exp beyond year 9999", resign(c -> put(c, "exp", 253402300800L)), "out of range"));
        cases.add(new Case("exp true", resign(c -> put(c, "exp", true)), "whole number"));

        // issuer near-misses, re-signed by the real key
        String iss = Fixtures.ISSUER_URL;
        cases.add(new Case("issuer with a trailing slash", resign(c -> put(c, "iss", iss + "/")), "issuer"));
        cases.add(new Case("issuer in upper case", resign(c -> put(c, "iss", iss.toUpperCase(java.util.Locale.ROOT))), "issuer"));
        cases.add(new Case("issuer over http", resign(c -> put(c, "iss", iss.replace("https:", "http:"))), "issuer"));
        cases.add(new Case("issuer with a leading space", resign(c -> put(c, "iss", " " + iss)), "issuer"));
        cases.add(new Case("the other issuer", resign(c -> put(c, "iss", "https://ci.example.com/run-identity/edge")), "issuer"));
        cases.add(new Case("issuer with a Cyrillic e", resign(c -> put(c, "iss", iss.replace("example", "\u0435xample"))), "issuer"));
        cases.add(new Case("issuer with a query", resign(c -> put(c, "iss", iss + "?")), "issuer"));
        cases.add(new Case("issuer as a list", resign(c -> put(c, "iss", List.of(iss))), "must be a string"));

        // audience, re-signed by the real key
        cases.add(new Case("wrong audience, never minted", resign(c -> put(put(c, "aud", "vault"), "jti", freshJti())), "audience"));
        cases.add(new Case("wrong audience, attacker's key", sign(header(JWSAlgorithm.RS256, kid), put(new LinkedHashMap<>(claims), "aud", "vault"),
                new RSASSASigner(attacker)), "signature"));
        cases.add(new Case("empty audience list", resign(c -> put(c, "aud", List.of())), "audience"));
        cases.add(new Case("empty audience", resign(c -> put(c, "aud", "")), "audience"));
        cases.add(new Case("numeric audience", resign(c -> put(c, "aud", 42L)), "audience"));

        // required claims missing, each re-signed by the real key
        for (String name : new String[] {"exp", "jti", "iss", "aud", "sub", "iat"}) {
            cases.add(new Case("missing " + name, resign(c -> put(c, name, null)), name.equals("iss") ? "issuer" : name.equals("aud") ? "audience" : name));
        }

        // duplicate claim names, re-signed by the real key
        cases.add(new Case("duplicate sub", resignJson(payloadJson.replaceFirst("\\{", "{\"sub\":\"job:team/admin\",")), "malformed"));
        cases.add(new Case("duplicate exp", resignJson(payloadJson.replaceFirst("\\{", "{\"exp\":" + (now + 86400) + ",")), "malformed"));
        cases.add(new Case("duplicate aud", resignJson(payloadJson.replaceFirst("\\{", "{\"aud\":\"vault\",")), "malformed"));

        // very large or deeply nested tokens
        cases.add(new Case("just over 16 KiB", resign(c -> put(c, "pad", "x".repeat(13_000))), "limit"));
        cases.add(new Case("60 KB", resign(c -> put(c, "pad", "x".repeat(45_000))), "limit"));
        cases.add(new Case("payload nested 5000 deep", resignJson(payloadJson.replaceFirst("\\{", "{\"n\":" + "[".repeat(5000) + "]".repeat(5000) + ",")), "malformed"));
        cases.add(new Case("payload nested 3000 deep", resignJson(payloadJson.replaceFirst("\\{", "{\"n\":" + "[".repeat(3000) + "]".repeat(3000) + ",")), "malformed"));
        cases.add(new Case("payload not an object", resignJson("[" + payloadJson + "]"), "malformed"));

        // a genuine token after its session closed
        Session closed = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("team/app", 3), "test");
        engine.closeSession(closed.id(), CloseReason.BLOCK_COMPLETED);
        cases.add(new Case("revoked", closed.token().revealSerialized(), "revoked"));
        return cases;
    }

    /** Builds a second state whose issuer has a key retired two days ago, and tokens that key signed. */
    private RunIdentityEngine engineWithRetiredKey(List<Case> out) throws Exception {
        Path other = tmp.newFolder("rotated").toPath();
        Instant retiredAt = clock.instant().minus(Duration.ofDays(2));
        JWK old = SigningAlgorithm.RS256.generate(Date.from(retiredAt.minus(Duration.ofDays(30))));
        try (FileStateStore s = FileStateStore.open(other, clock)) {
            s.keys().update("corp", keys -> List.of(
                    new StoredKey(old, StoredKey.State.RETIRED, retiredAt.minus(Duration.ofDays(30)), retiredAt.minus(Duration.ofDays(30)), retiredAt),
                    new StoredKey(SigningAlgorithm.RS256.generate(Date.from(retiredAt)), StoredKey.State.ACTIVE, retiredAt, retiredAt, null)));
        }
        RunIdentityEngine e = RunIdentityEngine.start(Fixtures.config(), FileStateStore.open(other, clock), clock);
        RSAKey oldKey = old.toRSAKey();
        long r = retiredAt.getEpochSecond();
        Map<String, Object> last = new LinkedHashMap<>(claims);
        last.put("iat", r - 600);
        last.put("nbf", r - 630);
        last.put("exp", r - 300);
        out.add(new Case("the retired key's last token", sign(header(JWSAlgorithm.RS256, oldKey.getKeyID()), last, new RSASSASigner(oldKey)), "no published key"));
        out.add(new Case("a fresh token by the retired key", sign(header(JWSAlgorithm.RS256, oldKey.getKeyID()), put(new LinkedHashMap<>(claims), "jti",
                freshJti()), new RSASSASigner(oldKey)), "no published key"));
        return e;
    }

    @Test
    public void introspectionVouchesOnlyForTokensTheIssuerRecorded() throws Exception {
        // Signed by the issuer's real key (a stolen key, a signing oracle) but never recorded as minted: a relying party
        // cannot tell, introspection can. So can it for a recorded jti whose session or expiry was altered.
        String[] unrecorded = {resign(c -> put(c, "jti", freshJti())), resign(c -> put(c, "exp", now + 3000)),
            resign(c -> put(c, "sid", "another-session"))};
        for (String t : unrecorded) {
            assertThat(engine.introspect("corp", t)).isEmpty();
            assertThat(catchThrowable(() -> engine.verify(t))).isInstanceOf(TokenRejectedException.class)
                    .hasMessageContaining("no record");
        }
        assertThat(engine.introspect("corp", genuine)).isPresent();
    }

    // ---- forging tools

    private static JWSHeader header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    private static String sign(JWSHeader header, Map<String, Object> payload, JWSSigner signer) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        jws.sign(signer);
        return jws.serialize();
    }

    /** The genuine claims, changed, signed by the issuer's real key with the genuine header. */
    private String resign(UnaryOperator<Map<String, Object>> change) throws Exception {
        return sign(header(JWSAlgorithm.RS256, corpKey.getKeyID()), change.apply(new LinkedHashMap<>(claims)), new RSASSASigner(corpKey));
    }

    /** A payload written by hand, signed by the issuer's real key with the genuine header. */
    private String resignJson(String payloadJson) throws Exception {
        return signRawHeader("{\"alg\":\"RS256\",\"kid\":\"" + corpKey.getKeyID() + "\",\"typ\":\"JWT\"}", payloadJson);
    }

    private String signRawHeader(String headerJson, String payloadJson) throws Exception {
        String input = b64(headerJson) + "." + b64(payloadJson);
        Base64URL s = new RSASSASigner(corpKey).sign(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + s;
    }

    private static String raw(String headerJson, String payloadJson, String signature) {
        return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Map<String, Object> put(Map<String, Object> m, String k, Object v) {
        if (v == null) {
            m.remove(k);
        } else {
            m.put(k, v);
        }
        return m;
    }

    private static String flip(String s, int at) {
        char c = s.charAt(at);
        return s.substring(0, at) + (c == 'A' ? 'B' : 'A') + s.substring(at + 1);
    }

    private String freshJti() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64URL.encode(b).toString();
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> parse(String json) throws Exception {
        return JSONObjectUtils.parse(json);
    }
}
