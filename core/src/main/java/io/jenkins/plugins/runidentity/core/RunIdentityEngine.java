package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.Closeable;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The engine: every decision about run identities — policy, claims, signing, sessions, revocation, audit and the
 * meaning of each endpoint. Adapters (the Jenkins plugin, the {@code run-identity} command) translate their world
 * into these calls. All state goes through the {@link StateStore}; sessions and revocations are projections of
 * the audit log, so every process sharing a store sees the same truth.
 */
public final class RunIdentityEngine implements Closeable {
    private final EngineConfig config;
    private final StateStore store;
    private final Clock clock;
    private final TokenPolicy policy;
    private final Map<String, KeyRing> rings = new LinkedHashMap<>();
    private final Map<String, TokenVerifier> introspectionVerifiers = new LinkedHashMap<>();
    private final SessionLedger ledger = new SessionLedger();
    private final SecureRandom random = new SecureRandom();
    private final IssuerEndpoints endpoints;

    private RunIdentityEngine(EngineConfig config, StateStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.policy = new TokenPolicy(config);
        this.endpoints = new IssuerEndpoints(this);
        for (IssuerConfig issuer : config.issuers()) {
            KeyRing ring = new KeyRing(issuer, store.keys(), clock);
            rings.put(issuer.id(), ring);
            introspectionVerifiers.put(issuer.id(), TokenVerifier.builder().issuer(issuer.url()).anyAudienceForIntrospection()
                    .algorithms(issuer.algorithm()).keys(ring).leeway(config.leeway()).expiryLeeway(Duration.ZERO)
                    .clock(clock).revocation(ledger::isRevoked).build());
        }
    }

    /**
     * Starts the engine on a store: replays the audit log (failing clearly if it is damaged) and makes sure every
     * issuer has a signing key.
     */
    public static RunIdentityEngine start(EngineConfig config, StateStore store, Clock clock) {
        RunIdentityEngine engine = new RunIdentityEngine(config, store, clock);
        store.audit().subscribe(engine.ledger::apply);
        store.audit().poll();
        List<AuditEvent> keyEvents = new ArrayList<>();
        engine.rings.values().forEach(ring -> keyEvents.addAll(ring.ensureActiveKey()));
        if (!keyEvents.isEmpty()) {
            store.audit().append(() -> keyEvents);
        }
        return engine;
    }

    public EngineConfig config() {
        return config;
    }

    /** The framework-neutral HTTP endpoints of every issuer. */
    public IssuerEndpoints endpoints() {
        return endpoints;
    }

    /**
     * Records the start of the next run of {@code job} and returns its facts. For callers that number runs
     * themselves (the command); Jenkins numbers its own builds. Safe across processes: no two calls get the same
     * number.
     */
    public RunFacts startRun(String job, String owner, UnaryOperator<RunFacts.Builder> details) {
        long[] number = new long[1];
        RunFacts.builder(job, 1); // validates the job name before anything is written
        store.audit().append(() -> {
            number[0] = ledger.nextBuildNumber(job);
            return List.of(AuditEvent.of(AuditEvent.RUN_STARTED, now()).put("job", job).put("build", number[0])
                    .put("owner", owner).build());
        });
        return details.apply(RunFacts.builder(job, number[0])).build();
    }

    /**
     * Opens a session: checks the request against policy, mints a token, and returns it only once its
     * {@code minted} record is durable.
     *
     * @param owner who holds the session, as the adapter's {@link OwnerLiveness} understands it
     * @throws RequestDeniedException after recording a {@code denied} event
     */
    public Session openSession(MintRequest request, RunFacts facts, String owner) {
        Grant grant;
        try {
            grant = policy.decide(request, facts);
        } catch (RequestDeniedException e) {
            AuditEvent denied = AuditEvent.of(AuditEvent.DENIED, now()).put("issuer", request.issuer())
                    .put("template", request.template()).put("job", facts.job()).put("build", facts.buildNumber())
                    .put("run", facts.runId()).put("owner", owner).put("reason", e.getMessage()).build();
            store.audit().append(() -> List.of(denied));
            throw e;
        }
        String sessionId = randomId(12);
        IssuedToken token = mint(grant, sessionId, owner);
        return new Session(sessionId, grant.issuer().id(), grant.template().id(), facts, token);
    }

    private IssuedToken mint(Grant g, String sessionId, String owner) {
        Instant issued = now();
        Instant expires = issued.plus(g.ttl());
        String jti = randomId(16);
        RunFacts f = g.facts();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(g.issuer().url())
                .subject(g.subject())
                .audience(g.audiences())
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued.minus(config.notBeforeBackdate())))
                .expirationTime(Date.from(expires))
                .jwtID(jti);
        if (!g.scope().isEmpty()) {
            c.claim(Claims.SCOPE, String.join(" ", g.scope()));
        }
        c.claim(Claims.SESSION, sessionId).claim(Claims.TEMPLATE, g.template().id())
                .claim(Claims.JOB, f.job()).claim(Claims.BUILD_NUMBER, f.buildNumber()).claim(Claims.RUN_ID, f.runId());
        putIfPresent(c, Claims.BUILD_URL, f.buildUrl());
        putIfPresent(c, Claims.BRANCH, f.branch());
        putIfPresent(c, Claims.CHANGE, f.change());
        putIfPresent(c, Claims.NODE, f.node());
        putIfPresent(c, Claims.CAUSE, f.cause());
        putIfPresent(c, Claims.CONTROLLER, f.controller());
        g.claims().forEach(c::claim);
        SignedJWT jwt = rings.get(g.issuer().id()).sign(c.build());

        AuditEvent minted = AuditEvent.of(AuditEvent.MINTED, issued).put("issuer", g.issuer().id())
                .put("template", g.template().id()).put("session", sessionId).put("jti", jti).put("sub", g.subject())
                .put("aud", g.audiences()).put("scope", String.join(" ", g.scope())).put("job", f.job())
                .put("build", f.buildNumber()).put("run", f.runId()).put("iat", issued.getEpochSecond())
                .put("exp", expires.getEpochSecond()).put("kid", jwt.getHeader().getKeyID()).put("owner", owner).build();
        store.audit().append(() -> List.of(minted));
        return new IssuedToken(jti, sessionId, g.issuer().url(), g.subject(), g.audiences(), g.scope(), issued, expires,
                jwt.serialize());
    }

    private static void putIfPresent(JWTClaimsSet.Builder c, String name, String value) {
        if (value != null && !value.isEmpty()) {
            c.claim(name, value);
        }
    }

    /**
     * Closes a session: revokes every token of it that is not yet revoked, recording one {@code revoked} event
     * each. Idempotent, also across processes.
     *
     * @return how many tokens this call revoked
     */
    public int closeSession(String sessionId, CloseReason reason) {
        return store.audit().append(() -> {
            List<AuditEvent> events = new ArrayList<>();
            for (SessionLedger.OpenToken t : ledger.openTokensOf(sessionId)) {
                events.add(revokedEvent(t, reason));
            }
            return events;
        }).size();
    }

    private AuditEvent revokedEvent(SessionLedger.OpenToken t, CloseReason reason) {
        return AuditEvent.of(AuditEvent.REVOKED, now()).put("issuer", t.issuer()).put("session", t.session())
                .put("jti", t.jti()).put("job", t.job()).put("build", t.build()).put("exp", t.expiresAt())
                .put("reason", reason.code()).build();
    }

    /**
     * Closes every open session whose owner is certainly gone.
     *
     * @return how many sessions were closed
     */
    public int closeOrphanedSessions(OwnerLiveness liveness, CloseReason reason) {
        sync();
        int closed = 0;
        for (Map.Entry<String, String> s : ledger.openSessions().entrySet()) {
            if (s.getValue() != null && liveness.isGone(s.getValue()) && closeSession(s.getKey(), reason) > 0) {
                closed++;
            }
        }
        return closed;
    }

    /** Appends one event to the audit log, for the engine's own use cases (e.g. {@link DownstreamExchange}). */
    void record(AuditEvent event) {
        store.audit().append(() -> List.of(event));
    }

    /** Catches up with what other processes sharing the store have recorded. */
    public void sync() {
        store.audit().poll();
        ledger.prune(clock.instant());
    }

    /** The token's claims if it is currently valid for {@code issuerId}: signed by it, unexpired, not revoked. */
    public Optional<VerifiedToken> introspect(String issuerId, String token) {
        TokenVerifier v = introspectionVerifiers.get(issuerId);
        if (v == null) {
            return Optional.empty();
        }
        sync();
        try {
            return Optional.of(v.verify(token));
        } catch (TokenRejectedException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies a token against the issuer its {@code iss} names, as introspection would, and says why it fails.
     *
     * @throws TokenRejectedException with the reason
     */
    public VerifiedToken verify(String token) {
        String iss;
        try {
            iss = SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException | RuntimeException e) {
            iss = null;
        }
        String claimed = iss;
        IssuerConfig issuer = config.issuers().stream().filter(i -> i.url().equals(claimed)).findFirst()
                .orElseThrow(() -> new TokenRejectedException("the token's issuer " + UserText.quote(claimed)
                        + " is not configured here; configured issuers: "
                        + String.join(", ", config.issuers().stream().map(IssuerConfig::url).toList())));
        sync();
        return introspectionVerifiers.get(issuer.id()).verify(token);
    }

    /** Revokes a valid token on its holder's request (RFC 7009). Invalid or unknown tokens are ignored. */
    public void revokeByHolder(String issuerId, String token) {
        Optional<VerifiedToken> valid = introspect(issuerId, token);
        valid.ifPresent(t -> store.audit().append(() -> {
            SessionLedger.OpenToken open = ledger.openToken(t.jti());
            return open == null ? List.of() : List.of(revokedEvent(open, CloseReason.REVOKED_BY_HOLDER));
        }));
    }

    /** The public keys of an issuer, as its JWKS endpoint serves them. */
    public JWKSet publishedKeys(String issuerId) {
        KeyRing ring = rings.get(issuerId);
        if (ring == null) {
            throw new IllegalArgumentException("unknown issuer " + UserText.quote(issuerId));
        }
        return ring.publishedKeys();
    }

    /** An issuer's keys, newest last, without key material. */
    public List<KeyInfo> keys(String issuerId) {
        KeyRing ring = rings.get(issuerId);
        if (ring == null) {
            throw new IllegalArgumentException("unknown issuer " + UserText.quote(issuerId));
        }
        ring.reload();
        return ring.keys().stream().map(k -> new KeyInfo(issuerId, k.kid(), config.issuer(issuerId).orElseThrow().algorithm(),
                k.state(), k.created(), k.activated(), k.retired())).toList();
    }

    /** Key facts for people: never the key. */
    public record KeyInfo(String issuer, String kid, SigningAlgorithm algorithm, StoredKey.State state, Instant created,
                          Instant activated, Instant retired) {}

    /** Verifies the whole audit chain. */
    public AuditVerification verifyAudit() {
        AuditChain.Checker checker = new AuditChain.Checker();
        store.audit().scan(checker::accept);
        return checker.result();
    }

    /** Audit records that match {@code filter}, oldest first. Lines that do not parse are skipped (see {@link #verifyAudit()}). */
    public List<AuditRecord> auditRecords(Predicate<AuditRecord> filter) {
        List<AuditRecord> out = new ArrayList<>();
        store.audit().scan(line -> {
            try {
                AuditRecord r = AuditRecord.parse(line);
                if (filter.test(r)) {
                    out.add(r);
                }
            } catch (IllegalArgumentException e) {
                // a damaged line: verifyAudit() names it
            }
        });
        return out;
    }

    /** Every identity minted for one run, with its revocation if any, oldest first. */
    public List<IdentityRecord> identitiesOf(String job, long build) {
        Map<String, IdentityRecord> byJti = new LinkedHashMap<>();
        for (AuditRecord r : auditRecords(r -> job.equals(r.string("job")) && r.number("build") == build)) {
            String jti = r.string("jti");
            if (AuditEvent.MINTED.equals(r.type())) {
                byJti.put(jti, new IdentityRecord(jti, r.string("session"), r.string("issuer"), r.string("template"),
                        r.string("sub"), r.strings("aud"), r.string("scope"), Instant.ofEpochSecond(r.number("iat")),
                        Instant.ofEpochSecond(r.number("exp")), null, null));
            } else if (AuditEvent.REVOKED.equals(r.type()) && byJti.containsKey(jti)) {
                IdentityRecord m = byJti.get(jti);
                byJti.put(jti, new IdentityRecord(m.jti(), m.session(), m.issuer(), m.template(), m.subject(), m.audience(),
                        m.scope(), m.issuedAt(), m.expiresAt(), r.time(), r.string("reason")));
            }
        }
        return new ArrayList<>(byJti.values());
    }

    /** Sessions that still have an unrevoked token: session id to owner. */
    public Map<String, String> openSessions() {
        sync();
        return ledger.openSessions();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private String randomId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        store.close();
    }
}
