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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * One issuer's keys as loaded from the {@link KeyStore}: the key that signs and the keys that are published. It is
 * also the verifier's key source; a {@code kid} it does not know makes it reload from the store (at most once a
 * second), so that keys another process generated are found.
 */
final class KeyRing implements JWKSource<SecurityContext> {
    private final IssuerConfig issuer;
    private final KeyStore store;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile long lastReloadNanos;

    private record Loaded(List<StoredKey> keys, StoredKey active, JWSSigner signer) {}

    KeyRing(IssuerConfig issuer, KeyStore store, Clock clock) {
        this.issuer = issuer;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Makes sure the issuer has a key that signs, generating the first one if there is none.
     *
     * @return audit events for any key generated here
     */
    List<AuditEvent> ensureActiveKey() {
        List<StoredKey> generated = new ArrayList<>();
        List<StoredKey> keys = store.update(issuer.id(), current -> {
            generated.clear();
            if (current.stream().anyMatch(k -> k.state() == StoredKey.State.ACTIVE)) {
                return current;
            }
            Instant now = clock.instant();
            StoredKey fresh = new StoredKey(issuer.algorithm().generate(Date.from(now)), StoredKey.State.ACTIVE, now, now, null);
            generated.add(fresh);
            List<StoredKey> next = new ArrayList<>(current);
            next.add(fresh);
            return next;
        });
        install(keys);
        List<AuditEvent> events = new ArrayList<>();
        for (StoredKey k : generated) {
            events.add(keyEvent(AuditEvent.KEY_PUBLISHED, k));
            events.add(keyEvent(AuditEvent.KEY_ACTIVATED, k));
        }
        return events;
    }

    private AuditEvent keyEvent(String type, StoredKey k) {
        return AuditEvent.of(type, clock.instant()).put("issuer", issuer.id()).put("kid", k.kid())
                .put("alg", issuer.algorithm().name()).build();
    }

    void reload() {
        install(store.read(issuer.id()));
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
        loaded = new Loaded(List.copyOf(keys), active, signer);
        lastReloadNanos = System.nanoTime();
    }

    SignedJWT sign(JWTClaimsSet claims) {
        Loaded l = loaded;
        if (l.active == null) {
            throw new StateException("issuer '" + issuer.id() + "' has no active signing key");
        }
        JWSHeader header = new JWSHeader.Builder(issuer.algorithm().jws()).keyID(l.active.kid()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(l.signer);
        } catch (JOSEException e) {
            throw new StateException("signing failed for issuer '" + issuer.id() + "': " + e.getMessage(), e);
        }
        return jwt;
    }

    /** The public keys relying parties may verify with. */
    JWKSet publishedKeys() {
        return published(loaded);
    }

    private JWKSet published(Loaded l) {
        Instant now = clock.instant();
        return new JWKSet(l.keys.stream().filter(k -> !spent(k, now)).map(StoredKey::publicJwk).toList());
    }

    /**
     * A retired key whose every token has expired (the longest lifetime plus the largest leeway after it stopped
     * signing) verifies nothing any more, whatever a token signed with it says.
     */
    private static boolean spent(StoredKey k, Instant now) {
        return k.state() == StoredKey.State.RETIRED && k.retired() != null
                && k.retired().plus(ScopeTemplate.HARD_MAX_TTL).plus(Duration.ofMinutes(5)).isBefore(now);
    }

    List<StoredKey> keys() {
        return loaded.keys;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        List<JWK> found = selector.select(published(loaded));
        if (found.isEmpty() && System.nanoTime() - lastReloadNanos > 1_000_000_000L) {
            reload();
            found = selector.select(published(loaded));
        }
        return found;
    }
}
