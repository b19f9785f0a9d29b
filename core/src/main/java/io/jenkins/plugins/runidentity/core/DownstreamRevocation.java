package io.jenkins.plugins.runidentity.core;

/**
 * What became of a downstream token at the end of its run's block.
 *
 * @param status what happened
 * @param reason why it failed (one line, no token), or null
 */
public record DownstreamRevocation(Status status, String reason) {
    public enum Status {
        /** The downstream confirmed the revocation (RFC 7009: 200 without an error). */
        REVOKED,
        /** The profile names no revocation endpoint: the token lives until it expires. */
        NOT_CONFIGURED,
        /** The revocation was attempted and failed; {@link #reason()} says why. */
        FAILED
    }

    static DownstreamRevocation revoked() {
        return new DownstreamRevocation(Status.REVOKED, null);
    }

    static DownstreamRevocation notConfigured() {
        return new DownstreamRevocation(Status.NOT_CONFIGURED, null);
    }

    static DownstreamRevocation failed(String reason) {
        return new DownstreamRevocation(Status.FAILED, reason);
    }
}
