package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A downstream credential obtained by an exchange. The access token is reachable only through
 * {@link #revealAccessToken()}; {@link #toString()} never shows it. A refresh token, if the downstream sent one, is
 * never handed out: it is kept only so that it can be revoked with the access token.
 */
public final class DownstreamToken {
    private final String profile;
    private final String runSession;
    private final String tokenType;
    private final Instant obtainedAt;
    private final Duration expiresIn;
    private final String scope;
    private final String accessToken;
    private final String refreshToken;

    DownstreamToken(String profile, String runSession, String tokenType, Instant obtainedAt, Duration expiresIn, String scope,
                    String accessToken, String refreshToken) {
        this.profile = profile;
        this.runSession = runSession;
        this.tokenType = tokenType;
        this.obtainedAt = obtainedAt;
        this.expiresIn = expiresIn;
        this.scope = scope;
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
    }

    /** The exchange profile's id. */
    public String profile() { return profile; }
    /** The session id of the run it was obtained for. */
    public String runSession() { return runSession; }
    /** {@code token_type}, e.g. {@code Bearer}. */
    public String tokenType() { return tokenType; }
    public Instant obtainedAt() { return obtainedAt; }
    /** When the downstream says it expires, if it said. */
    public Optional<Instant> expiresAt() { return Optional.ofNullable(expiresIn).map(obtainedAt::plus); }
    /** The granted scope, if the downstream said. */
    public Optional<String> scope() { return Optional.ofNullable(scope); }

    /** The downstream access token. A bearer credential: hand it only to the run, never log it. */
    public String revealAccessToken() {
        return accessToken;
    }

    String refreshToken() {
        return refreshToken;
    }

    @Override
    public String toString() {
        return "DownstreamToken[profile=" + profile + ", type=" + tokenType + ", expiresAt=" + expiresAt().orElse(null) + "]";
    }
}
