package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.List;

/**
 * A minted token and what it says. The serialized JWT is reachable only through {@link #revealSerialized()};
 * {@link #toString()} never shows it.
 */
public final class IssuedToken {
    private final String jti;
    private final String sessionId;
    private final String issuer;
    private final String subject;
    private final List<String> audience;
    private final List<String> scope;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final String serialized;

    IssuedToken(String jti, String sessionId, String issuer, String subject, List<String> audience, List<String> scope,
                Instant issuedAt, Instant expiresAt, String serialized) {
        this.jti = jti;
        this.sessionId = sessionId;
        this.issuer = issuer;
        this.subject = subject;
        this.audience = List.copyOf(audience);
        this.scope = List.copyOf(scope);
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.serialized = serialized;
    }

    public String jti() { return jti; }
    public String sessionId() { return sessionId; }
    /** The issuer URL ({@code iss}). */
    public String issuer() { return issuer; }
    public String subject() { return subject; }
    public List<String> audience() { return audience; }
    public List<String> scope() { return scope; }
    public Instant issuedAt() { return issuedAt; }
    public Instant expiresAt() { return expiresAt; }

    /** The compact JWT. It is a bearer credential: hand it only to the run it was minted for, never log it. */
    public String revealSerialized() {
        return serialized;
    }

    @Override
    public String toString() {
        return "IssuedToken[jti=" + jti + ", sub=" + subject + ", exp=" + expiresAt + "]";
    }
}
