package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A token that passed every check of a {@link TokenVerifier}. Only a verifier creates one.
 *
 * @param claims every claim as the token carries it (dates as whole seconds)
 */
public record VerifiedToken(String keyId, String algorithm, String issuer, String subject, List<String> audience,
                            String jti, Instant issuedAt, Instant notBefore, Instant expiresAt, Map<String, Object> claims) {
    public VerifiedToken {
        audience = List.copyOf(audience);
        claims = Map.copyOf(claims);
    }
}
