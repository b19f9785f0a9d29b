package io.jenkins.plugins.runidentity.core;

/** A request for an identity was refused by policy. The refusal has been audited as {@code denied}. */
public final class RequestDeniedException extends RunIdentityException {
    private static final long serialVersionUID = 1L;

    public RequestDeniedException(String message) {
        super(message);
    }
}
