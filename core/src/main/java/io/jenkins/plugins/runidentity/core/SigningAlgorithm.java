package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Date;

/**
 * Algorithms an issuer can sign with. RS256 is the default for the widest relying-party support. EdDSA is not
 * offered: Nimbus needs Google Tink for it, and AWS and Azure do not accept it.
 */
public enum SigningAlgorithm {
    RS256(JWSAlgorithm.RS256),
    ES256(JWSAlgorithm.ES256);

    private final JWSAlgorithm jws;

    SigningAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    public JWSAlgorithm jws() {
        return jws;
    }

    /** A fresh private key whose {@code kid} is its RFC 7638 thumbprint. */
    JWK generate(Date issueTime) {
        try {
            JWK key = switch (this) {
                case RS256 -> new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(jws)
                        .keyIDFromThumbprint(true).issueTime(issueTime).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(jws)
                        .keyIDFromThumbprint(true).issueTime(issueTime).generate();
            };
            return key;
        } catch (JOSEException e) {
            throw new StateException("could not generate a " + name() + " key: " + e.getMessage(), e);
        }
    }

    public static SigningAlgorithm parse(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown signing algorithm " + UserText.quote(name) + "; use RS256 or ES256");
    }
}
