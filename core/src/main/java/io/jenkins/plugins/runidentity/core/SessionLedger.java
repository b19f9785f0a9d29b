package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
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
    /** The {@code minted} record's member holding the SHA-256 (base64url) of the token exactly as it was handed out. */
    static final String TOKEN_HASH = "token_sha256";

    /**
     * A minted token whose session has not revoked it.
     *
     * @param statusList its status list number (from 1), or -1 for tokens minted before status lists existed
     * @param statusIdx  its index in that list, or -1
     * @param tokenHash  the SHA-256 of the token as minted, or null for tokens minted before it was recorded
     */
    record OpenToken(String jti, String session, String issuer, long expiresAt, String owner, String job, long build,
                     long statusList, long statusIdx, byte[] tokenHash) {}

    /** One status list as the log says it is: which indices are invalid, and a number that changes when they do. */
    record StatusBits(BitSet invalid, long version) {}

    private final Map<String, OpenToken> openByJti = new HashMap<>();
    private final Map<String, Set<String>> openBySession = new LinkedHashMap<>();
    private final Map<String, Long> lastBuildByJob = new HashMap<>();
    private final RevocationRegistry revoked = new RevocationRegistry();
    /** Per issuer: the next status position to allocate, counted across lists ((list - 1) * CAPACITY + idx). */
    private final Map<String, Long> nextStatusPosition = new HashMap<>();
    private final Map<String, Map<Long, BitSet>> invalidBits = new HashMap<>();
    private long statusVersion;
    /** For each signing key (kid): the latest exp of any token it signed, in epoch seconds. */
    private final Map<String, Long> lastExpiryByKid = new HashMap<>();

    /** The latest expiry of any token the key {@code kid} signed, as far as the log has been read; null if none. */
    synchronized Instant lastExpiryOf(String kid) {
        Long exp = lastExpiryByKid.get(kid);
        return exp == null ? null : Instant.ofEpochSecond(exp);
    }

    synchronized void apply(AuditRecord r) {
        switch (r.type()) {
            case AuditEvent.MINTED -> {
                OpenToken t = new OpenToken(r.string("jti"), r.string("session"), r.string("issuer"), r.number("exp"),
                        r.string("owner"), r.string("job"), r.number("build"), r.number("status_list"), r.number("status_idx"),
                        hash(r.string(TOKEN_HASH)));
                if (t.statusList() >= 1 && t.statusIdx() >= 0) {
                    nextStatusPosition.merge(t.issuer(), (t.statusList() - 1) * StatusList.CAPACITY + t.statusIdx() + 1, Math::max);
                }
                String kid = r.string("kid");
                if (kid != null) {
                    lastExpiryByKid.merge(kid, t.expiresAt(), Math::max);
                }
                openByJti.put(t.jti(), t);
                openBySession.computeIfAbsent(t.session(), s -> new LinkedHashSet<>()).add(t.jti());
                noteBuild(t.job(), t.build());
            }
            case AuditEvent.STATUS_RESERVED -> {
                long end = r.number("from") + r.number("count");
                if (r.string("issuer") != null && end > 0) {
                    nextStatusPosition.merge(r.string("issuer"), end, Math::max);
                }
            }
            case AuditEvent.REVOKED -> {
                OpenToken t = openByJti.remove(r.string("jti"));
                long exp = t != null ? t.expiresAt() : r.number("exp");
                revoked.revoke(r.string("jti"), exp);
                if (t != null && t.statusList() >= 1 && t.statusIdx() >= 0) {
                    invalidBits.computeIfAbsent(t.issuer(), i -> new HashMap<>())
                            .computeIfAbsent(t.statusList(), l -> new BitSet()).set((int) t.statusIdx());
                    statusVersion++;
                }
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

    /**
     * The recorded token hash, decoded once here rather than at every introspection: null if the record has none (it
     * predates the member), empty — matching no token — if it is not a base64url SHA-256.
     */
    private static byte[] hash(String recorded) {
        if (recorded == null) {
            return null;
        }
        try {
            byte[] h = java.util.Base64.getUrlDecoder().decode(recorded);
            return h.length == 32 ? h : new byte[0]; // present but not a SHA-256: matches nothing
        } catch (IllegalArgumentException e) {
            return new byte[0];
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

    /**
     * The status list and index the next token of {@code issuer} gets. Positions only grow, so an index is never
     * given to two tokens. Call under {@link AuditStore#append} so that the minted record claims it atomically.
     *
     * @return {list (from 1), idx}
     */
    synchronized long[] nextStatusSlot(String issuer) {
        long position = nextStatusPosition(issuer);
        return new long[] {position / StatusList.CAPACITY + 1, position % StatusList.CAPACITY};
    }

    /** The first status position of {@code issuer} no token holds and no process has reserved. */
    synchronized long nextStatusPosition(String issuer) {
        return nextStatusPosition.getOrDefault(issuer, 0L);
    }

    /** The highest list number of {@code issuer} that exists (1 before any token was minted). */
    synchronized long lastStatusList(String issuer) {
        return nextStatusSlot(issuer)[0];
    }

    /** A copy of one list's invalid bits. */
    synchronized StatusBits statusBits(String issuer, long list) {
        BitSet bits = invalidBits.getOrDefault(issuer, Map.of()).get(list);
        return new StatusBits(bits == null ? new BitSet() : (BitSet) bits.clone(), statusVersion);
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
