package io.jenkins.plugins.runidentity.core;

/** Stored state (keys, audit log) is unreadable, damaged or could not be written. */
public final class StateException extends RunIdentityException {
    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
