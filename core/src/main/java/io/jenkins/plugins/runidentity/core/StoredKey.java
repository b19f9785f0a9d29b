package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored: its private JWK and where it stands in its life. {@link #toString()} never shows the
 * key material.
 */
public final class StoredKey {
    /** Where a key stands: published before it signs, signing, then published until its tokens expire. */
    public enum State { NEXT, ACTIVE, RETIRED }

    private final JWK privateJwk;
    private final State state;
    private final Instant created;
    private final Instant activated;
    private final Instant retired;

    public StoredKey(JWK privateJwk, State state, Instant created, Instant activated, Instant retired) {
        this.privateJwk = Objects.requireNonNull(privateJwk);
        if (!privateJwk.isPrivate() || privateJwk.getKeyID() == null) {
            throw new IllegalArgumentException("a stored key must be a private JWK with a kid");
        }
        this.state = Objects.requireNonNull(state);
        this.created = Objects.requireNonNull(created);
        this.activated = activated;
        this.retired = retired;
    }

    public String kid() { return privateJwk.getKeyID(); }
    public State state() { return state; }
    public Instant created() { return created; }
    /** When it started signing, or null. */
    public Instant activated() { return activated; }
    /** When it stopped signing, or null. */
    public Instant retired() { return retired; }

    /** The public half, safe to publish. */
    public JWK publicJwk() {
        return privateJwk.toPublicJWK();
    }

    /** The private key. Only signers and key stores may call this; never log what it returns. */
    public JWK revealPrivateJwk() {
        return privateJwk;
    }

    public StoredKey withState(State newState, Instant when) {
        return switch (newState) {
            case ACTIVE -> new StoredKey(privateJwk, newState, created, when, null);
            case RETIRED -> new StoredKey(privateJwk, newState, created, activated, when);
            case NEXT -> new StoredKey(privateJwk, newState, created, null, null);
        };
    }

    @Override
    public String toString() {
        return "StoredKey[kid=" + kid() + ", state=" + state + ", created=" + created + "]";
    }
}
