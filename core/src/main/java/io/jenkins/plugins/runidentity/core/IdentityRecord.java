package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.List;

/**
 * One identity (token) of a run as the audit log tells it, for build pages and reports. Never the token itself.
 *
 * @param revokedAt null while not revoked
 * @param reason    the close reason code, or null
 */
public record IdentityRecord(String jti, String session, String issuer, String template, String subject, List<String> audience,
                             String scope, Instant issuedAt, Instant expiresAt, Instant revokedAt, String reason) {
    /** What a person should read: {@code active}, {@code revoked} or {@code expired}. */
    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return now.isBefore(expiresAt) ? "active" : "expired";
    }
}
