package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The engine: every decision about run identities — policy, claims, signing, sessions, revocation, audit and the
 * meaning of each endpoint. Adapters (the Jenkins plugin, the {@code run-identity} command) translate their world
 * into these calls. All state goes through the {@link StateStore}; sessions and revocations are projections of
 * the audit log, so every process sharing a store sees the same truth.
 */
public final class RunIdentityEngine implements Closeable {
    private final StateStore store;
    private final Clock clock;
    /** Everything derived from the configuration, swapped as a whole by {@link #reconfigure}; read once per call. */
    private volatile Configured current;
    private final SessionLedger ledger = new SessionLedger();
    private final SecureRandom random = new SecureRandom();
    private final IssuerEndpoints endpoints;
    /** Sessions this engine opened and has not closed: what a refresh asks for again. Never holds a token. */
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();
    private final Map<String, SignedStatusList> statusListCache = new ConcurrentHashMap<>();
    private final StatusPositions statusPositions = new StatusPositions();

    private record Opened(String issuerId, String template, RunFacts facts, MintRequest request) {}

    /** One configuration and what the engine derives from it: the policy, and each issuer's key ring and verifier. */
    private record Configured(EngineConfig config, TokenPolicy policy, Map<String, KeyRing> rings,
                              Map<String, TokenVerifier> introspectionVerifiers) {}

    private record SignedStatusList(long version, String kid, Instant issued, String jwt) {}

    private RunIdentityEngine(EngineConfig config, StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.endpoints = new IssuerEndpoints(this);
        this.current = configured(config);
    }

    private Configured configured(EngineConfig config) {
        Map<String, KeyRing> rings = new LinkedHashMap<>();
        Map<String, TokenVerifier> verifiers = new LinkedHashMap<>();
        for (IssuerConfig issuer : config.issuers()) {
            KeyRing ring = new KeyRing(issuer, store.keys(), clock, retention(config, issuer), config.leeway(),
                    ledger::lastExpiryOf);
            rings.put(issuer.id(), ring);
            verifiers.put(issuer.id(), TokenVerifier.builder().issuer(issuer.url()).anyAudienceForIntrospection()
                    .algorithms(issuer.algorithm()).keys(ring).leeway(config.leeway()).expiryLeeway(Duration.ZERO)
                    .clock(clock).revocation(ledger::isRevoked).build());
        }
        return new Configured(config, new TokenPolicy(config), Map.copyOf(rings), Map.copyOf(verifiers));
    }

    /**
     * How long a retired key of {@code issuer} must stay published: the longest lifetime of anything it may have
     * signed (a token of any template usable with it, or a status list token) plus the verification leeway.
     */
    private static Duration retention(EngineConfig config, IssuerConfig issuer) {
        Duration longest = StatusList.VALIDITY;
        for (ScopeTemplate t : config.templates()) {
            if ((t.issuers().isEmpty() || t.issuers().contains(issuer.id())) && t.maxTtl().compareTo(longest) > 0) {
                longest = t.maxTtl();
            }
        }
        return longest.plus(config.leeway());
    }

    /**
     * Starts the engine on a store: replays the audit log (failing clearly if it is damaged) and makes sure every
     * issuer has a signing key and a published next key, rotating any key whose period has passed.
     */
    public static RunIdentityEngine start(EngineConfig config, StateStore store, Clock clock) {
        RunIdentityEngine engine = new RunIdentityEngine(config, store, clock);
        store.audit().subscribe(engine.ledger::apply);
        store.audit().poll();
        engine.current.rings().values().forEach(engine::maintainKeys);
        return engine;
    }

    /**
     * Applies a new configuration from now on, without a restart: issuers, templates, policy and lifetimes change at
     * once for every later call, while keys, sessions, revocations, the audit log and the status lists stay as they
     * are (they live in the store, and a key ring of an issuer that stays reads the same keys). An issuer that is new
     * gets its first keys now; the keys of an issuer that was removed stay in the store, unused. Sessions this engine
     * opened can still be refreshed, decided against the new configuration. A call that is under way finishes with
     * the configuration it started with.
     */
    public synchronized void reconfigure(EngineConfig config) {
        Configured next = configured(config);
        current = next;
        statusListCache.clear(); // signed under the previous keys' rings; cheap to sign again
        next.rings().values().forEach(this::maintainKeys);
    }

    /**
     * Applies the key transitions that are due (see {@link KeyRing}). The change happens inside the audit append,
     * so its records follow it immediately and two processes never both rotate.
     */
    private void maintainKeys(KeyRing ring) {
        if (ring.maintenanceDue()) {
            store.audit().append(ring::maintain);
        }
    }

    /**
     * Rotates an issuer's signing key now: the published next key starts signing, the active one is retired (it
     * stays published until every token it signed has expired) and a new next key is published. A next key that
     * has been published for less than one JWKS cache period is not activated, since relying parties may not have
     * it yet; then nothing changes and the result says when the rotation is possible.
     *
     * @throws IllegalArgumentException for an unknown issuer
     */
    public KeyRotation rotateKeys(String issuerId) {
        KeyRing ring = ring(current, issuerId);
        KeyRotation[] result = new KeyRotation[1];
        store.audit().append(() -> {
            KeyRing.Step step = ring.rotate();
            result[0] = step.rotation();
            return step.events();
        });
        return result[0];
    }

    private static KeyRing ring(Configured c, String issuerId) {
        KeyRing ring = c.rings().get(issuerId);
        if (ring == null) {
            throw new IllegalArgumentException("unknown issuer " + UserText.quote(issuerId) + "; configured issuers: "
                    + String.join(", ", c.config().issuerIds()));
        }
        return ring;
    }

    /** The configuration in force now (see {@link #reconfigure}). */
    public EngineConfig config() {
        return current.config();
    }

    /** The framework-neutral HTTP endpoints of every issuer. */
    public IssuerEndpoints endpoints() {
        return endpoints;
    }

    /**
     * Records the start of the next run of {@code job} and returns its facts. For callers that number runs
     * themselves (the command); Jenkins numbers its own builds. Safe across processes: no two calls get the same
     * number.
     *
     * @throws RequestDeniedException after recording a {@code denied} event, if {@code job} is not a possible job
     *                                name (see {@link RunFacts#jobNameProblem})
     */
    public RunFacts startRun(String job, String owner, UnaryOperator<RunFacts.Builder> details) {
        long[] number = new long[1];
        String badName = RunFacts.jobNameProblem(job); // before anything but the refusal is written
        if (badName != null) {
            store.audit().append(() -> List.of(AuditEvent.of(AuditEvent.DENIED, now()).put("job", job).put("owner", owner)
                    .put("reason", badName).build()));
            throw new RequestDeniedException(badName);
        }
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
        Configured c = current;
        Instant issued = now();
        Grant grant = decide(c, request, facts, owner, issued);
        String sessionId = randomId(12);
        IssuedToken token = mint(c, grant, sessionId, owner, issued, null);
        if (token == null) {
            throw new IllegalStateException("a new session cannot be closed before its first token");
        }
        opened.put(sessionId, new Opened(grant.issuer().id(), grant.template().id(), facts, request));
        return new Session(sessionId, grant.issuer().id(), grant.template().id(), facts, token, request);
    }

    /**
     * Mints a fresh token (new {@code jti}, new status index, same session) for a session this engine opened. The
     * request is decided again against the current configuration, so a narrowed template applies at once. Earlier
     * tokens of the session stay valid until they expire or the session closes; closing revokes them all.
     *
     * @throws RunIdentityException if the session is unknown here or already closed
     * @throws RequestDeniedException if policy now refuses the request (audited)
     */
    public Session refresh(String sessionId) {
        Opened o = opened.get(sessionId);
        if (o == null) {
            throw new RunIdentityException("session " + UserText.quote(sessionId)
                    + " was not opened by this process or is already closed; open a new session instead");
        }
        return refresh(new Session(sessionId, o.issuerId(), o.template(), o.facts(), null, o.request()));
    }

    /**
     * Like {@link #refresh(String)}, for an adapter that kept the session itself (for example across a restart of
     * the process that opened it). The session must still be open and belong to the same issuer and run.
     */
    public Session refresh(Session session) {
        sync();
        List<SessionLedger.OpenToken> open = ledger.openTokensOf(session.id());
        if (open.isEmpty()) {
            opened.remove(session.id());
            throw new RunIdentityException("session " + UserText.quote(session.id())
                    + " is closed (its tokens were revoked) and cannot be refreshed");
        }
        SessionLedger.OpenToken latest = open.get(open.size() - 1);
        if (!latest.issuer().equals(session.issuerId()) || !latest.job().equals(session.facts().job())
                || latest.build() != session.facts().buildNumber()) {
            throw new RunIdentityException("session " + UserText.quote(session.id()) + " belongs to issuer '" + latest.issuer()
                    + "' and run " + UserText.quote(latest.job() + "#" + latest.build()) + ", not to the one given");
        }
        Configured c = current;
        Instant issued = now();
        Grant grant = decide(c, session.request(), session.facts(), latest.owner(), issued);
        IssuedToken token = mint(c, grant, session.id(), latest.owner(), issued, latest.jti());
        if (token == null) {
            opened.remove(session.id());
            throw new RunIdentityException("session " + UserText.quote(session.id())
                    + " was closed while it was being refreshed; no token was minted");
        }
        return new Session(session.id(), grant.issuer().id(), grant.template().id(), session.facts(), token, session.request());
    }

    /** Decides a request, auditing a refusal. A run whose deadline has passed gets nothing. */
    private Grant decide(Configured c, MintRequest request, RunFacts facts, String owner, Instant issued) {
        try {
            Grant grant = c.policy().decide(request, facts);
            if (!grant.expiresAt(issued).isAfter(issued)) {
                throw new RequestDeniedException("run " + UserText.quote(facts.runId()) + " reached its time limit at "
                        + facts.deadline() + " and template '" + grant.template().id() + "' is bound by the run");
            }
            return grant;
        } catch (RequestDeniedException e) {
            AuditEvent denied = AuditEvent.of(AuditEvent.DENIED, issued).put("issuer", request.issuer())
                    .put("template", request.template()).put("job", facts.job()).put("build", facts.buildNumber())
                    .put("run", facts.runId()).put("owner", owner).put("reason", e.getMessage()).build();
            store.audit().append(() -> List.of(denied));
            throw e;
        }
    }

    /**
     * Signs and records a token. Its status index is allocated, and (for a refresh) the session is checked to be
     * still open, inside the audit append: atomically with respect to every process sharing the store.
     *
     * @param replaces the jti this token refreshes, or null for a session's first token
     * @return the token, or null if {@code replaces} was given and the session closed meanwhile
     */
    private IssuedToken mint(Configured conf, Grant g, String sessionId, String owner, Instant issued, String replaces) {
        KeyRing ring = conf.rings().get(g.issuer().id());
        maintainKeys(ring);
        Instant expires = g.expiresAt(issued);
        String jti = randomId(16);
        RunFacts f = g.facts();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(g.issuer().url())
                .subject(g.subject())
                .audience(g.audiences())
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued.minus(conf.config().notBeforeBackdate())))
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
        String issuerId = g.issuer().id();
        // The status position is reserved beforehand, so that signing (the expensive part) happens outside the
        // audit log's exclusive section and concurrent mints sign in parallel.
        long position = statusPositions.take(issuerId);
        long[] slot = {position / StatusList.CAPACITY + 1, position % StatusList.CAPACITY};
        c.claim(Claims.STATUS, Map.of("status_list", Map.of("idx", slot[1], "uri", statusListUri(g.issuer(), slot[0]))));
        SignedJWT signed = ring.sign(c.build());
        String serialized = signed.serialize();
        if (serialized.length() > TokenVerifier.MAX_TOKEN_LENGTH) {
            // Never hand out a token that verifiers (ours included) refuse; record the refusal instead.
            RequestDeniedException tooLong = new RequestDeniedException("the token would be " + serialized.length()
                    + " characters long, more than the " + TokenVerifier.MAX_TOKEN_LENGTH + " that verifiers accept;"
                    + " the run's facts or template '" + g.template().id() + "' make its claims too long");
            store.audit().append(() -> List.of(AuditEvent.of(AuditEvent.DENIED, issued).put("issuer", issuerId)
                    .put("template", g.template().id()).put("job", f.job()).put("build", f.buildNumber())
                    .put("run", f.runId()).put("owner", owner).put("reason", tooLong.getMessage()).build()));
            throw tooLong;
        }
        SignedJWT[] jwt = new SignedJWT[1];
        store.audit().append(() -> {
            if (replaces != null && ledger.openTokensOf(sessionId).isEmpty()) {
                return List.of();
            }
            jwt[0] = signed;
            AuditEvent.Builder minted = AuditEvent.of(AuditEvent.MINTED, issued).put("issuer", issuerId)
                    .put("template", g.template().id()).put("session", sessionId).put("jti", jti).put("sub", g.subject())
                    .put("aud", g.audiences()).put("scope", String.join(" ", g.scope())).put("job", f.job())
                    .put("build", f.buildNumber()).put("run", f.runId()).put("iat", issued.getEpochSecond())
                    .put("exp", expires.getEpochSecond()).put("kid", jwt[0].getHeader().getKeyID()).put("owner", owner)
                    .put("status_list", slot[0]).put("status_idx", slot[1])
                    .put(SessionLedger.TOKEN_HASH, tokenHash(serialized));
            if (g.template().boundByRun() && f.deadline() != null) {
                minted.put("deadline", f.deadline().getEpochSecond());
            }
            if (replaces == null) {
                return List.of(minted.build());
            }
            minted.put("refreshes", replaces);
            return List.of(minted.build(), AuditEvent.of(AuditEvent.REFRESHED, issued).put("issuer", issuerId)
                    .put("session", sessionId).put("jti", jti).put("replaces", replaces).put("job", f.job())
                    .put("build", f.buildNumber()).put("exp", expires.getEpochSecond()).build());
        });
        if (jwt[0] == null) {
            return null;
        }
        return new IssuedToken(jti, sessionId, g.issuer().url(), g.subject(), g.audiences(), g.scope(), issued, expires,
                serialized);
    }

    /** The URI of one of an issuer's status lists, as tokens carry it and its endpoint serves it. */
    static String statusListUri(IssuerConfig issuer, long list) {
        return issuer.url() + IssuerEndpoints.STATUS + "/" + list;
    }

    /**
     * The signed status list token (draft-ietf-oauth-status-list-20) of list {@code list} of an issuer: typ
     * {@code statuslist+jwt}, {@code sub} its URI, {@code iat}, {@code exp}, {@code ttl}, and a one-bit list in
     * which revoked tokens are set. Revocations by any process sharing the store show at once.
     *
     * @return empty if no such list exists yet
     * @throws IllegalArgumentException for an unknown issuer
     */
    public Optional<String> statusListToken(String issuerId, long list) {
        Configured c = current;
        KeyRing ring = ring(c, issuerId);
        sync();
        if (list < 1 || list > ledger.lastStatusList(issuerId)) {
            return Optional.empty();
        }
        maintainKeys(ring);
        IssuerConfig issuer = c.config().issuer(issuerId).orElseThrow();
        SessionLedger.StatusBits bits = ledger.statusBits(issuerId, list);
        Instant now = now();
        String cacheKey = issuerId + "/" + list;
        SignedStatusList cached = statusListCache.get(cacheKey);
        // Signing costs; an unchanged list is served as signed for a few seconds.
        if (cached != null && cached.version() == bits.version() && cached.kid().equals(ring.activeKid())
                && !now.isAfter(cached.issued().plusSeconds(10)) && !now.isBefore(cached.issued())) {
            return Optional.of(cached.jwt());
        }
        String uri = statusListUri(issuer, list);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.url()).subject(uri).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(StatusList.VALIDITY))).claim("ttl", (long) StatusList.TTL_SECONDS)
                .claim("status_list", Map.of("bits", StatusList.BITS, "lst", StatusList.encode(bits.invalid(), StatusList.CAPACITY)))
                .build();
        SignedJWT jwt = ring.sign(claims, new JOSEObjectType(StatusList.TYPE));
        String serialized = jwt.serialize();
        statusListCache.put(cacheKey, new SignedStatusList(bits.version(), jwt.getHeader().getKeyID(), now, serialized));
        return Optional.of(serialized);
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
        opened.remove(sessionId);
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
        TokenVerifier v = current.introspectionVerifiers().get(issuerId);
        if (v == null) {
            return Optional.empty();
        }
        sync();
        try {
            return Optional.of(recorded(issuerId, token, v.verify(token)));
        } catch (TokenRejectedException e) {
            return Optional.empty();
        }
    }

    /**
     * The issuer vouches only for tokens its audit log records as minted and still open, and only in the exact form it
     * handed them out: the SHA-256 of the token must be the one its {@code minted} record holds. A token signed with a
     * stolen key, altered and re-signed, or spelt differently with a still valid signature (an ES256 signature with
     * {@code s} replaced by {@code n - s}) is not one of them. Records written before the hash was recorded fall back
     * to comparing session and expiry.
     */
    private VerifiedToken recorded(String issuerId, String token, VerifiedToken t) {
        SessionLedger.OpenToken open = ledger.openToken(t.jti());
        if (open == null || !issuerId.equals(open.issuer())
                || (open.tokenHash() != null ? !MessageDigest.isEqual(open.tokenHash(), sha256(token))
                        : !open.session().equals(t.claims().get(Claims.SESSION)) || open.expiresAt() != t.expiresAt().getEpochSecond())) {
            throw new TokenRejectedException("the issuer has no record of minting this token, or it was altered since");
        }
        return t;
    }

    /** One SHA-256 per thread: looking the algorithm up costs more than hashing a token. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    /** SHA-256 of a token's compact serialization (ASCII: a verified or minted token is base64url and dots). */
    private static byte[] sha256(String token) {
        return SHA256.get().digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * SHA-256 of a token's compact serialization, base64url without padding: what a {@code minted} record keeps to
     * recognise the token again. A hash of a 128-bit-random, signed token reveals nothing about it.
     */
    static String tokenHash(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(token));
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
        Configured c = current;
        IssuerConfig issuer = c.config().issuers().stream().filter(i -> i.url().equals(claimed)).findFirst()
                .orElseThrow(() -> new TokenRejectedException("the token's issuer " + UserText.quote(claimed)
                        + " is not configured here; configured issuers: "
                        + String.join(", ", c.config().issuers().stream().map(IssuerConfig::url).toList())));
        sync();
        return recorded(issuer.id(), token, c.introspectionVerifiers().get(issuer.id()).verify(token));
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
        KeyRing ring = ring(current, issuerId);
        maintainKeys(ring);
        return ring.publishedKeys();
    }

    /** An issuer's keys, newest last, without key material. */
    public List<KeyInfo> keys(String issuerId) {
        Configured c = current;
        KeyRing ring = ring(c, issuerId);
        ring.reload();
        maintainKeys(ring);
        return ring.keys().stream().map(k -> new KeyInfo(issuerId, k.kid(), c.config().issuer(issuerId).orElseThrow().algorithm(),
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

    /**
     * Status-list positions this engine has reserved and not used yet, per issuer. A reservation is a durable
     * {@code status-reserved} record, so no other process (or restart) hands out the same position. Blocks grow from
     * one position to 64, so a process that mints once wastes nothing and a busy one reserves rarely.
     */
    private final class StatusPositions {
        private static final int LARGEST_BLOCK = 64;
        private final Map<String, long[]> free = new java.util.HashMap<>();

        synchronized long take(String issuerId) {
            long[] range = free.computeIfAbsent(issuerId, i -> new long[] {0, 0, 0}); // next, end, last block size
            if (range[0] >= range[1]) {
                int block = (int) Math.min(LARGEST_BLOCK, Math.max(1, range[2] * 2));
                long[] from = new long[1];
                store.audit().append(() -> {
                    from[0] = ledger.nextStatusPosition(issuerId);
                    return List.of(AuditEvent.of(AuditEvent.STATUS_RESERVED, now()).put("issuer", issuerId)
                            .put("from", from[0]).put("count", block).build());
                });
                range[0] = from[0];
                range[1] = from[0] + block;
                range[2] = block;
            }
            return range[0]++;
        }
    }
}
