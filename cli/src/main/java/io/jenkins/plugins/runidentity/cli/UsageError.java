package io.jenkins.plugins.runidentity.cli;

/** A mistake in how the command was called: reported as one line, exit code 2. */
final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }
}
