package io.jenkins.plugins.runidentity.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cryptographic floor: Nimbus alone signing and verifying a token with the engine's claims, with keys and
 * signer/verifier objects prepared once. "Verify" includes parsing the compact form, as any verifier must.
 */
public class CryptoFloorBench extends AlgorithmFixture {
    private JWSSigner signer;
    private JWSVerifier verifier;
    private JWTClaimsSet claims;
    private String token;
    private String kid;

    @Override
    protected void prepare() throws JOSEException {
        if (alg.equals("RS256")) {
            RSAKey key = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
            signer = new RSASSASigner(key);
            verifier = new RSASSAVerifier(key.toPublicJWK());
            kid = key.getKeyID();
        } else {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            signer = new ECDSASigner(key);
            verifier = new ECDSAVerifier(key.toPublicJWK());
            kid = key.getKeyID();
        }
        claims = BenchSupport.claims(alg);
        token = sign();
    }

    /** Header + claims → signed compact token. */
    @Benchmark
    public String rawSign() throws JOSEException {
        return sign();
    }

    /** The same, two threads at once: the two-core signing capacity. */
    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String rawSign2Threads() throws JOSEException {
        return sign();
    }

    /** Compact token → parsed and signature checked. */
    @Benchmark
    public boolean rawVerify() throws JOSEException, ParseException {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!jwt.verify(verifier)) {
            throw new IllegalStateException("bad signature");
        }
        return true;
    }

    /**
     * Compact token → parsed, signature checked, and the claims read as JSON: the least any verifier does before
     * it can look at {@code exp}, {@code iss} or {@code jti}.
     */
    @Benchmark
    public JWTClaimsSet rawVerifyWithClaims() throws JOSEException, ParseException {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!jwt.verify(verifier)) {
            throw new IllegalStateException("bad signature");
        }
        return jwt.getJWTClaimsSet();
    }

    private String sign() throws JOSEException {
        SignedJWT jwt = new SignedJWT(BenchSupport.header(alg, kid), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
