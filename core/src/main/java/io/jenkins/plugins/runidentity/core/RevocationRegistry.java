package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked token ids, each kept until its token expires (after that the expiry alone rejects it). Rebuilt from
 * the audit log on start; safe for concurrent readers.
 */
public final class RevocationRegistry {
    private final ConcurrentHashMap<String, Long> expiryByJti = new ConcurrentHashMap<>();
    private long nextPrune;

    /** Records that {@code jti}, valid until {@code expiresAtEpochSecond}, is revoked. */
    public void revoke(String jti, long expiresAtEpochSecond) {
        expiryByJti.put(jti, expiresAtEpochSecond);
    }

    public boolean isRevoked(String jti) {
        return expiryByJti.containsKey(jti);
    }

    /** Forgets entries whose tokens expired before {@code now} minus {@code graceSeconds}. */
    public synchronized void prune(Instant now, long graceSeconds) {
        long cutoff = now.getEpochSecond() - graceSeconds;
        if (cutoff < nextPrune) {
            return;
        }
        nextPrune = cutoff + 60;
        expiryByJti.values().removeIf(exp -> exp < cutoff);
    }

    public int size() {
        return expiryByJti.size();
    }
}
