package io.jenkins.plugins.runidentity.core;

/**
 * An exchange could not give the run its downstream credential. The message is one line that explains what the
 * downstream answered (status, {@code error}, {@code error_description}, quoted) or why it could not be asked;
 * it never contains a token or secret. The caller then closes the run's session with
 * {@link CloseReason#EXCHANGE_FAILED}.
 */
public final class ExchangeFailedException extends RunIdentityException {
    private static final long serialVersionUID = 1L;
    private final boolean refused;

    public ExchangeFailedException(String message, boolean refused) {
        super(message);
        this.refused = refused;
    }

    /**
     * True when the request was refused — by the downstream (a 4xx answer) or by our own policy — so that
     * repeating it unchanged will fail again; false when the downstream could not be reached or answered in a way
     * that may be temporary (5xx, malformed).
     */
    public boolean refused() {
        return refused;
    }
}
