package io.jenkins.plugins.runidentity.core;

import java.time.Instant;

/**
 * A single-use assertion minted for one downstream call: its own engine session with one token for exactly one
 * audience. {@link #close()} revokes it (reason {@link CloseReason#ASSERTION_PRESENTED}); use it in a
 * try-with-resources block around the one call that presents it.
 */
public final class ClientAssertion implements AutoCloseable {
    private final RunIdentityEngine engine;
    private final Session session;

    ClientAssertion(RunIdentityEngine engine, Session session) {
        this.engine = engine;
        this.session = session;
    }

    public String jti() { return session.token().jti(); }
    public String sessionId() { return session.id(); }
    public String issuer() { return session.token().issuer(); }
    public String subject() { return session.token().subject(); }
    /** Its one audience. */
    public String audience() { return session.token().audience().get(0); }
    public Instant expiresAt() { return session.token().expiresAt(); }
    /** The key id it was signed with. */
    public String kid() {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(session.token().revealSerialized()).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the engine minted a token it cannot parse", e);
        }
    }

    /** The compact JWT, for the one request that presents it. Never log it. */
    public String revealSerialized() {
        return session.token().revealSerialized();
    }

    @Override
    public void close() {
        engine.closeSession(session.id(), CloseReason.ASSERTION_PRESENTED);
    }

    @Override
    public String toString() {
        return "ClientAssertion[jti=" + jti() + ", aud=" + audience() + "]";
    }
}
