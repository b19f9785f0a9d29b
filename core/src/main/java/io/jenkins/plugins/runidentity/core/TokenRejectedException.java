package io.jenkins.plugins.runidentity.core;

/** A token failed verification. The message says why, never what the token was. */
public final class TokenRejectedException extends RunIdentityException {
    private static final long serialVersionUID = 1L;

    public TokenRejectedException(String message) {
        super(message);
    }
}
