package io.jenkins.plugins.runidentity.core;

/**
 * A token failed verification. The message says why, never what the token was. It carries no stack trace: a
 * rejection is an answer, not a fault, and recording the stack cost about 7 µs of every introspection of an expired
 * or revoked token (measured through IssuerEndpoints.handle: 89-94 µs before, 84-85 µs after), more than reading
 * the token's claims.
 */
public final class TokenRejectedException extends RunIdentityException {
    private static final long serialVersionUID = 1L;

    public TokenRejectedException(String message) {
        super(message, false);
    }
}
