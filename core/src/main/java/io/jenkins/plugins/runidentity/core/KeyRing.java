package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * One issuer's keys as loaded from the {@link KeyStore}: the key that signs and the keys that are published. It is
 * also the verifier's key source; a {@code kid} it does not know makes it reload from the store (at most once a
 * second), so that keys another process generated are found.
 *
 * <p>Life of a key: it is generated as {@code NEXT} and published at once; it becomes {@code ACTIVE} (signs) once the
 * active key is older than the rotation period — and never before it has been published for
 * {@link #PUBLISH_LEAD}, one JWKS cache period; it is then {@code RETIRED} (published, signs nothing) until every
 * token it could have signed has expired, and then removed. Every transition is decided inside
 * {@link KeyStore#update}, so processes sharing the store never rotate twice; each reports only what it changed.
 */
final class KeyRing implements JWKSource<SecurityContext> {
    /** How long a key is published before it may sign: the JWKS cache period relying parties are told. */
    static final Duration PUBLISH_LEAD = Duration.ofSeconds(IssuerEndpoints.CACHE_SECONDS);
    /** How stale the loaded keys may be before signing or publishing re-reads them. */
    private static final long RELOAD_NANOS = 1_000_000_000L;
    /**
     * Added to a retired key's retention: another process may sign with a key for up to {@link #RELOAD_NANOS} after
     * it was retired, and relying parties' clocks drift.
     */
    static final Duration RETENTION_MARGIN = Duration.ofMinutes(1);

    private final IssuerConfig issuer;
    private final KeyStore store;
    private final Clock clock;
    private final Duration retention;
    private final Duration afterLastExpiry;
    private final Function<String, Instant> lastExpiry;
    private volatile Loaded loaded;
    private volatile long lastReloadNanos;

    /** {@code publicJwks} is in the order of {@code keys}: made once per load, so verifiers can cache per JWK object. */
    private record Loaded(List<StoredKey> keys, List<JWK> publicJwks, StoredKey active, JWSSigner signer) {}

    /** The outcome of one transition: what is stored now, the audit events for it, and (if forced) the rotation. */
    record Step(List<StoredKey> keys, List<AuditEvent> events, KeyRotation rotation) {}

    /**
     * @param retention  how long a retired key stays published at least: the longest token lifetime it may have
     *                   signed under the current configuration, plus leeway
     * @param leeway     the clock skew verifiers tolerate after {@code exp}
     * @param lastExpiry for a kid, the latest {@code exp} of a token the audit log shows it signed (or null). A
     *                   retired key also stays published until that moment plus leeway, so lowering a template's
     *                   maximum lifetime never unpublishes a key that tokens issued before still need.
     */
    KeyRing(IssuerConfig issuer, KeyStore store, Clock clock, Duration retention, Duration leeway,
            Function<String, Instant> lastExpiry) {
        this.issuer = issuer;
        this.store = store;
        this.clock = clock;
        this.retention = retention.plus(RETENTION_MARGIN);
        this.afterLastExpiry = leeway.plus(RETENTION_MARGIN);
        this.lastExpiry = lastExpiry;
    }

    /**
     * Whether a key is retired and no longer needed by any token: past its retention, and past the expiry of the
     * last token it is known to have signed.
     */
    private boolean outlived(StoredKey k, Instant now) {
        if (k.state() != StoredKey.State.RETIRED || now.isBefore(k.retired().plus(retention))) {
            return false;
        }
        Instant last = lastExpiry.apply(k.kid());
        return last == null || !now.isBefore(last.plus(afterLastExpiry));
    }

    /** How long a retired key stays published. */
    Duration retention() {
        return retention;
    }

    /** Whether {@link #maintain()} has anything to do, judged cheaply on the loaded keys (re-read when stale). */
    boolean maintenanceDue() {
        reloadIfStale();
        return due(loaded.keys, clock.instant());
    }

    /** Whether {@link #plan} would change anything when not forced; cheap (generates no key). */
    boolean due(List<StoredKey> keys, Instant now) {
        StoredKey active = null, next = null;
        for (StoredKey k : keys) {
            switch (k.state()) {
                case RETIRED -> {
                    if (outlived(k, now)) {
                        return true;
                    }
                }
                case ACTIVE -> active = k;
                case NEXT -> next = next == null ? k : next;
            }
        }
        return active == null || next == null || (!now.isBefore(active.activated().plus(issuer.rotationPeriod()))
                && !now.isBefore(next.created().plus(PUBLISH_LEAD)));
    }

    /**
     * Applies every transition that is due (first key, next key, scheduled rotation, removal of expired retired
     * keys) atomically in the store. Call it inside {@link AuditStore#append} so that the events land right after
     * the change.
     *
     * @return audit events for what this call changed (none if another process got there first)
     */
    List<AuditEvent> maintain() {
        return transition(false).events;
    }

    /** Rotates now if the next key has been published long enough; see {@link KeyRotation}. */
    Step rotate() {
        return transition(true);
    }

    private Step transition(boolean force) {
        Step[] out = new Step[1];
        List<StoredKey> keys = store.update(issuer.id(), current -> {
            out[0] = plan(current, clock.instant(), force);
            return out[0].keys;
        });
        install(keys);
        return out[0];
    }

    /** The pure state machine: what the keys should be at {@code now}. */
    Step plan(List<StoredKey> current, Instant now, boolean force) {
        List<StoredKey> keys = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        for (StoredKey k : current) {
            if (outlived(k, now)) {
                events.add(keyEvent(AuditEvent.KEY_REMOVED, k, now, "every token it signed has expired"));
            } else {
                keys.add(k);
            }
        }
        int activeAt = lastIndexOf(keys, StoredKey.State.ACTIVE);
        int nextAt = firstIndexOf(keys, StoredKey.State.NEXT);
        String retiredKid = null;
        boolean rotated = false;
        Instant earliest = null;
        if (activeAt < 0) {
            StoredKey first;
            if (nextAt >= 0) {
                first = keys.get(nextAt).withState(StoredKey.State.ACTIVE, now);
                keys.set(nextAt, first);
            } else {
                first = generate(now, StoredKey.State.ACTIVE);
                keys.add(first);
                events.add(keyEvent(AuditEvent.KEY_PUBLISHED, first, now, "first key of the issuer"));
            }
            events.add(keyEvent(AuditEvent.KEY_ACTIVATED, first, now, "the issuer had no signing key"));
            rotated = true;
        } else {
            StoredKey active = keys.get(activeAt);
            boolean due = force || !now.isBefore(active.activated().plus(issuer.rotationPeriod()));
            if (due) {
                Instant allowed = nextAt < 0 ? now.plus(PUBLISH_LEAD) : keys.get(nextAt).created().plus(PUBLISH_LEAD);
                if (nextAt >= 0 && !now.isBefore(allowed)) {
                    String why = force ? "forced rotation" : "rotation period " + DurationFormat.format(issuer.rotationPeriod()) + " reached";
                    StoredKey retired = active.withState(StoredKey.State.RETIRED, now);
                    StoredKey promoted = keys.get(nextAt).withState(StoredKey.State.ACTIVE, now);
                    keys.set(activeAt, retired);
                    keys.set(nextAt, promoted);
                    // Keep the list ordered by life: retired keys first, then the active one, then the next one.
                    keys.remove(promoted);
                    keys.add(promoted);
                    events.add(keyEvent(AuditEvent.KEY_RETIRED, retired, now, why));
                    events.add(keyEvent(AuditEvent.KEY_ACTIVATED, promoted, now, why));
                    retiredKid = retired.kid();
                    rotated = true;
                } else if (force) {
                    earliest = allowed;
                }
            }
        }
        if (firstIndexOf(keys, StoredKey.State.NEXT) < 0) {
            StoredKey next = generate(now, StoredKey.State.NEXT);
            keys.add(next);
            events.add(keyEvent(AuditEvent.KEY_PUBLISHED, next, now, "next key, published before it signs"));
            if (earliest != null) {
                earliest = now.plus(PUBLISH_LEAD);
            }
        }
        StoredKey active = keys.get(lastIndexOf(keys, StoredKey.State.ACTIVE));
        StoredKey next = keys.get(firstIndexOf(keys, StoredKey.State.NEXT));
        KeyRotation rotation = new KeyRotation(issuer.id(), rotated, active.kid(), retiredKid, next.kid(), rotated ? null : earliest);
        return new Step(events.isEmpty() ? current : List.copyOf(keys), events, rotation);
    }

    private StoredKey generate(Instant now, StoredKey.State state) {
        return new StoredKey(issuer.algorithm().generate(Date.from(now)), state, now,
                state == StoredKey.State.ACTIVE ? now : null, null);
    }

    private static int lastIndexOf(List<StoredKey> keys, StoredKey.State state) {
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (keys.get(i).state() == state) {
                return i;
            }
        }
        return -1;
    }

    private static int firstIndexOf(List<StoredKey> keys, StoredKey.State state) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).state() == state) {
                return i;
            }
        }
        return -1;
    }

    private AuditEvent keyEvent(String type, StoredKey k, Instant when, String reason) {
        return AuditEvent.of(type, when).put("issuer", issuer.id()).put("kid", k.kid())
                .put("alg", issuer.algorithm().name()).put("reason", reason).build();
    }

    void reload() {
        install(store.read(issuer.id()));
    }

    private void reloadIfStale() {
        if (loaded == null || System.nanoTime() - lastReloadNanos > RELOAD_NANOS) {
            reload();
        }
    }

    private void install(List<StoredKey> keys) {
        StoredKey active = keys.stream().filter(k -> k.state() == StoredKey.State.ACTIVE).reduce((a, b) -> b).orElse(null);
        JWSSigner signer = null;
        if (active != null) {
            try {
                JWK jwk = active.revealPrivateJwk();
                signer = switch (issuer.algorithm()) {
                    case RS256 -> new RSASSASigner(jwk.toRSAKey());
                    case ES256 -> new ECDSASigner(jwk.toECKey());
                };
            } catch (JOSEException | RuntimeException e) {
                throw new StateException("the active key of issuer '" + issuer.id() + "' cannot sign with "
                        + issuer.algorithm() + "; was the algorithm changed after the key was made?");
            }
        }
        loaded = new Loaded(List.copyOf(keys), keys.stream().map(StoredKey::publicJwk).toList(), active, signer);
        lastReloadNanos = System.nanoTime();
    }

    /** Signs with the active key; {@code type} is the JOSE {@code typ} header. */
    SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type) {
        reloadIfStale();
        Loaded l = loaded;
        if (l.active == null) {
            throw new StateException("issuer '" + issuer.id() + "' has no active signing key");
        }
        JWSHeader header = new JWSHeader.Builder(issuer.algorithm().jws()).keyID(l.active.kid()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(l.signer);
        } catch (JOSEException e) {
            throw new StateException("signing failed for issuer '" + issuer.id() + "': " + e.getMessage(), e);
        }
        return jwt;
    }

    SignedJWT sign(JWTClaimsSet claims) {
        return sign(claims, JOSEObjectType.JWT);
    }

    /** The public keys relying parties may verify with: retired, active and next. */
    JWKSet publishedKeys() {
        reloadIfStale();
        return published(loaded);
    }

    /**
     * Published keys at this moment: a retired key past its retention verifies nothing any more, whatever a token
     * signed with it says, even before maintenance has removed it from the store.
     */
    private JWKSet published(Loaded l) {
        Instant now = clock.instant();
        List<JWK> out = new java.util.ArrayList<>(l.keys.size());
        for (int i = 0; i < l.keys.size(); i++) {
            StoredKey k = l.keys.get(i);
            if (!outlived(k, now)) {
                out.add(l.publicJwks.get(i));
            }
        }
        return new JWKSet(out);
    }

    List<StoredKey> keys() {
        reloadIfStale();
        return loaded.keys;
    }

    /** The kid of the key that signs now, or null. */
    String activeKid() {
        reloadIfStale();
        StoredKey a = loaded.active;
        return a == null ? null : a.kid();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        if (loaded == null) {
            reload();
        }
        List<JWK> found = selector.select(published(loaded));
        if (found.isEmpty() && System.nanoTime() - lastReloadNanos > RELOAD_NANOS) {
            reload();
            found = selector.select(published(loaded));
        }
        return found;
    }
}
