package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the audit log says is open right now, and what is revoked: a projection of the log, fed every record in
 * order by the {@link AuditStore}. Never a second source of truth.
 */
final class SessionLedger {
    /** A minted token whose session has not revoked it. */
    record OpenToken(String jti, String session, String issuer, long expiresAt, String owner, String job, long build) {}

    private final Map<String, OpenToken> openByJti = new HashMap<>();
    private final Map<String, Set<String>> openBySession = new LinkedHashMap<>();
    private final Map<String, Long> lastBuildByJob = new HashMap<>();
    private final RevocationRegistry revoked = new RevocationRegistry();

    synchronized void apply(AuditRecord r) {
        switch (r.type()) {
            case AuditEvent.MINTED -> {
                OpenToken t = new OpenToken(r.string("jti"), r.string("session"), r.string("issuer"), r.number("exp"),
                        r.string("owner"), r.string("job"), r.number("build"));
                openByJti.put(t.jti(), t);
                openBySession.computeIfAbsent(t.session(), s -> new LinkedHashSet<>()).add(t.jti());
                noteBuild(t.job(), t.build());
            }
            case AuditEvent.REVOKED -> {
                OpenToken t = openByJti.remove(r.string("jti"));
                long exp = t != null ? t.expiresAt() : r.number("exp");
                revoked.revoke(r.string("jti"), exp);
                if (t != null) {
                    Set<String> jtis = openBySession.get(t.session());
                    if (jtis != null) {
                        jtis.remove(t.jti());
                        if (jtis.isEmpty()) {
                            openBySession.remove(t.session());
                        }
                    }
                }
            }
            case AuditEvent.RUN_STARTED -> noteBuild(r.string("job"), r.number("build"));
            default -> { }
        }
    }

    private void noteBuild(String job, long build) {
        if (job != null) {
            lastBuildByJob.merge(job, build, Math::max);
        }
    }

    synchronized List<OpenToken> openTokensOf(String session) {
        List<OpenToken> out = new ArrayList<>();
        for (String jti : openBySession.getOrDefault(session, Set.of())) {
            out.add(openByJti.get(jti));
        }
        return out;
    }

    synchronized OpenToken openToken(String jti) {
        return openByJti.get(jti);
    }

    /** Session id to owner, for every session with an unrevoked token. */
    synchronized Map<String, String> openSessions() {
        Map<String, String> out = new LinkedHashMap<>();
        openBySession.forEach((s, jtis) -> out.put(s, openByJti.get(jtis.iterator().next()).owner()));
        return out;
    }

    synchronized long nextBuildNumber(String job) {
        return lastBuildByJob.getOrDefault(job, 0L) + 1;
    }

    boolean isRevoked(String jti) {
        return revoked.isRevoked(jti);
    }

    void prune(Instant now) {
        revoked.prune(now, 300);
    }

    int revokedCount() {
        return revoked.size();
    }
}
