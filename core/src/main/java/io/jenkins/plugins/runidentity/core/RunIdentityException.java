package io.jenkins.plugins.runidentity.core;

/**
 * Base of every error the engine reports to a user. Its message is one line that says what was asked,
 * what is allowed and, where it helps, what to do. Messages never contain a token or key material.
 */
public class RunIdentityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunIdentityException(String message) {
        super(message);
    }

    public RunIdentityException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For decisions rather than failures, which nobody debugs by their stack: {@code false} records none. */
    protected RunIdentityException(String message, boolean withStackTrace) {
        super(message, null, true, withStackTrace);
    }
}
