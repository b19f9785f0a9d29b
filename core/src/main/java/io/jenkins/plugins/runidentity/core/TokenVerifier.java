package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Verifies run identity tokens, strictly by default: one expected issuer string, an audience the caller states
 * (or explicitly any), only the algorithms named, only keys from the given key source (headers such as
 * {@code jku}, {@code x5u} or {@code jwk} are refused, never fetched), integer {@code exp iat nbf}, required
 * {@code iss sub aud exp iat jti}, bounded leeway, and optional revocation checks: a predicate (the issuer's own
 * ledger) and/or the token status list a relying party fetches ({@link StatusListClient}).
 */
public final class TokenVerifier {
    /** Tokens longer than this are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Set<String> ALLOWED_HEADER = Set.of("alg", "kid", "typ");

    private final String issuer;
    private final Set<String> audiences;
    private final Set<JWSAlgorithm> algorithms;
    private final JWKSource<SecurityContext> keys;
    private final Duration leeway;
    private final Duration expiryLeeway;
    private final Clock clock;
    private final Predicate<String> revoked;
    private final StatusListClient statusList;
    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();
    private static final int VERIFIER_CACHE_SIZE = 16;
    private static volatile CachedVerifier[] verifierCache = new CachedVerifier[0];

    private TokenVerifier(Builder b) {
        this.issuer = b.issuer;
        this.audiences = b.audiences;
        this.algorithms = b.algorithms;
        this.keys = b.keys;
        this.leeway = b.leeway;
        this.expiryLeeway = b.expiryLeeway == null ? b.leeway : b.expiryLeeway;
        this.clock = b.clock;
        this.revoked = b.revoked;
        this.statusList = b.statusList;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A key source that fetches a JWKS over HTTP(S), caches it, and refetches once (rate-limited) when a token names a
     * key it has not seen, so that verifiers keep working across key rotation.
     */
    public static JWKSource<SecurityContext> remoteKeys(URL jwksUrl) {
        return remoteKeys(jwksUrl, Clock.systemUTC());
    }

    /**
     * {@link #remoteKeys(URL)} with the cache period (five minutes, the issuer's JWKS {@code max-age}) and the rate
     * limit of refetches (one per ten seconds) measured on {@code clock}.
     */
    public static JWKSource<SecurityContext> remoteKeys(URL jwksUrl, Clock clock) {
        JWKSource<SecurityContext> built = JWKSourceBuilder.<SecurityContext>create(jwksUrl,
                        new DefaultResourceRetriever(2000, 2000, 256 * 1024))
                .cache(Duration.ofSeconds(IssuerEndpoints.CACHE_SECONDS).toMillis(), Duration.ofSeconds(5).toMillis())
                .rateLimited(Duration.ofSeconds(10).toMillis())
                .retrying(false)
                .refreshAheadCache(false)
                .build();
        if (!(built instanceof JWKSetBasedJWKSource<SecurityContext> based)) {
            return built;
        }
        JWKSetSource<SecurityContext> sets = based.getJWKSetSource();
        // Nimbus reads the system clock in JWKSetBasedJWKSource; this is the same lookup with the caller's clock.
        return (selector, context) -> {
            long now = clock.millis();
            JWKSet set = sets.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
            List<JWK> found = selector.select(set);
            if (found.isEmpty()) {
                set = sets.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(set), now, context);
                found = selector.select(set);
            }
            return found;
        };
    }

    /**
     * @throws TokenRejectedException saying which check failed
     */
    public VerifiedToken verify(String token) {
        if (token == null || token.isEmpty()) {
            throw reject("no token given");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw reject("the token is " + token.length() + " characters long; the limit is " + MAX_TOKEN_LENGTH);
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 4) {
            throw reject("an encrypted token (JWE) was given; only signed tokens (JWS) are accepted");
        }
        if (dots != 2) {
            throw reject("not a compact JWS: expected 3 dot-separated parts, found " + (dots + 1));
        }
        // One token, one spelling: padding, whitespace or stray bits would give a second string for the same token.
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (!canonicalBase64Url(token, 0, firstDot) || !canonicalBase64Url(token, firstDot + 1, secondDot)
                || !canonicalBase64Url(token, secondDot + 1, token.length())) {
            throw reject("malformed token: a part is not canonical base64url (no padding, whitespace or other characters)");
        }
        SignedJWT jwt;
        Map<String, Object> claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = claimsOf(jwt);
        } catch (ParseException | RuntimeException e) {
            // Parser messages may quote token content: give a fixed one.
            throw reject("malformed token: the header or payload is not base64url-encoded JSON, has duplicate members, or names an unknown algorithm");
        }
        if (claims == null) {
            throw reject("malformed token: the payload is not a JSON object");
        }
        JWSHeader header = jwt.getHeader();
        // The header as written, not as parsed: the parser drops some members (an empty crit, for one).
        Set<String> written;
        try {
            written = headerMembers(token.substring(0, firstDot));
        } catch (ParseException | IllegalArgumentException e) {
            throw reject("malformed token: the header is not a JSON object");
        }
        for (String p : written) {
            if (!ALLOWED_HEADER.contains(p)) {
                throw reject("header parameter " + UserText.quote(p) + " is not accepted; only alg, kid and typ are");
            }
        }
        if (!algorithms.contains(header.getAlgorithm())) {
            throw reject("algorithm " + UserText.quote(header.getAlgorithm().getName()) + " is not accepted; expected "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
        }
        if (header.getType() != null && !JOSEObjectType.JWT.equals(header.getType())) {
            throw reject("token type " + UserText.quote(header.getType().getType()) + " is not accepted; expected JWT");
        }
        if (header.getKeyID() == null) {
            throw reject("the token names no key (kid)");
        }
        checkSignature(jwt, header, keys);

        String iss = string(claims, Claims.ISSUER);
        if (!issuer.equals(iss)) {
            throw reject("issuer " + UserText.quote(iss) + " is not the expected " + UserText.quote(issuer));
        }
        String sub = string(claims, Claims.SUBJECT);
        if (sub == null || sub.isEmpty()) {
            throw reject("the token has no subject (sub)");
        }
        List<String> aud = audience(claims.get(Claims.AUDIENCE));
        if (audiences != null && aud.stream().noneMatch(audiences::contains)) {
            throw reject("audience " + aud + " is not one of the accepted " + audiences.stream().sorted().toList());
        }
        String jti = string(claims, Claims.TOKEN_ID);
        if (jti == null || jti.isEmpty()) {
            throw reject("the token has no id (jti)");
        }
        Instant now = clock.instant();
        Instant exp = numericDate(claims, Claims.EXPIRES, true);
        Instant iat = numericDate(claims, Claims.ISSUED_AT, true);
        Instant nbf = numericDate(claims, Claims.NOT_BEFORE, false);
        if (!now.isBefore(exp.plus(expiryLeeway))) {
            throw reject("the token expired at " + exp);
        }
        if (nbf != null && now.plus(leeway).isBefore(nbf)) {
            throw reject("the token is not valid before " + nbf);
        }
        if (now.plus(leeway).isBefore(iat)) {
            throw reject("the token was issued in the future (" + iat + ")");
        }
        if (exp.isBefore(iat)) {
            throw reject("the token expires before it was issued");
        }
        if (revoked != null && revoked.test(jti)) {
            throw reject("the token was revoked");
        }
        if (statusList != null) {
            int status = statusList.statusOf(claims);
            if (status != StatusList.VALID) {
                throw reject(status == StatusList.INVALID ? "the token was revoked (its status list says INVALID)"
                        : "the token's status list entry is " + status + ", not VALID");
            }
        }
        return new VerifiedToken(header.getKeyID(), header.getAlgorithm().getName(), iss, sub, aud, jti, iat, nbf, exp, claims);
    }

    /** Checks a JWS against the keys its header selects; shared with {@link StatusListClient}. */
    static void checkSignature(SignedJWT jwt, JWSHeader header, JWKSource<SecurityContext> keys) {
        List<JWK> candidates;
        try {
            candidates = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        } catch (KeySourceException e) {
            throw reject("the issuer's keys could not be loaded: " + e.getMessage());
        }
        if (candidates == null || candidates.isEmpty()) {
            throw reject("no published key has id " + UserText.quote(header.getKeyID()) + " for algorithm "
                    + header.getAlgorithm().getName());
        }
        for (JWK jwk : candidates) {
            try {
                JWSVerifier v = verifierFor(header, jwk);
                if (v == null) {
                    continue;
                }
                if (jwt.verify(v)) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // try the next candidate; a key that cannot verify this token is no match
            }
        }
        throw reject("the signature is not valid");
    }

    private static boolean isBase64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /**
     * Whether {@code s[from, to)} is base64url exactly as an encoder writes it, i.e. decoding and re-encoding it gives
     * it back: only the 64 letters of the alphabet, no padding, no length an encoder never writes (4k + 1), and the
     * bits of the last letter that carry no data all zero. Checked in place: decoding and re-encoding each part of
     * every token cost more than reading its claims.
     */
    static boolean canonicalBase64Url(String s, int from, int to) {
        int length = to - from;
        if (length < 0 || length % 4 == 1) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isBase64Url(s.charAt(i))) {
                return false;
            }
        }
        int unused = length % 4 == 2 ? 0xF : length % 4 == 3 ? 0x3 : 0;
        return unused == 0 || (base64UrlValue(s.charAt(to - 1)) & unused) == 0;
    }

    private static int base64UrlValue(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    /**
     * The member names of the header as written (the parser drops some, an empty {@code crit} for one): read by
     * {@link FlatJson} when the header has the simple shape, else by Nimbus. The part is canonical base64url here.
     */
    private static Set<String> headerMembers(String part) throws ParseException {
        byte[] json = java.util.Base64.getUrlDecoder().decode(part);
        Map<String, Object> flat = FlatJson.parse(json);
        if (flat != null) {
            return flat.keySet();
        }
        return JSONObjectUtils.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8)).keySet();
    }

    /** The payload as a JSON object: read by {@link FlatJson} when it has the engine's own flat shape, else by Nimbus. */
    private static Map<String, Object> claimsOf(SignedJWT jwt) throws ParseException {
        try {
            Map<String, Object> flat = FlatJson.parse(java.util.Base64.getUrlDecoder().decode(jwt.getParsedParts()[1].toString()));
            if (flat != null) {
                return flat;
            }
        } catch (IllegalArgumentException e) {
            // not base64url as the JDK reads it: let Nimbus decide
        }
        return jwt.getPayload().toJSONObject();
    }

    /**
     * The verifier for a key, made once per key object and algorithm: turning a JWK into a public key and a verifier
     * costs about as much as checking an RS256 signature. Key sources hand out the same JWK objects until their
     * keys change, so a small cache keyed by identity suffices; it starts over when it fills. Nimbus' verifiers
     * are thread-safe.
     */
    private static JWSVerifier verifierFor(JWSHeader header, JWK jwk) throws JOSEException {
        CachedVerifier[] cache = verifierCache;
        for (CachedVerifier c : cache) {
            if (c.jwk() == jwk && c.algorithm().equals(header.getAlgorithm())) {
                return c.verifier();
            }
        }
        Key key = switch (jwk.getKeyType().getValue()) {
            case "RSA" -> jwk.toRSAKey().toRSAPublicKey();
            case "EC" -> jwk.toECKey().toECPublicKey();
            default -> null;
        };
        if (key == null) {
            return null;
        }
        JWSVerifier v = VERIFIERS.createJWSVerifier(header, key);
        CachedVerifier[] grown = cache.length >= VERIFIER_CACHE_SIZE ? new CachedVerifier[1] : Arrays.copyOf(cache, cache.length + 1);
        grown[grown.length - 1] = new CachedVerifier(jwk, header.getAlgorithm(), v);
        verifierCache = grown;
        return v;
    }

    private record CachedVerifier(JWK jwk, JWSAlgorithm algorithm, JWSVerifier verifier) {}

    private static String string(Map<String, Object> claims, String name) {
        Object v = claims.get(name);
        if (v != null && !(v instanceof String)) {
            throw reject("claim '" + name + "' must be a string");
        }
        return (String) v;
    }

    private static List<String> audience(Object v) {
        if (v instanceof String s && !s.isEmpty()) {
            return List.of(s);
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof String s && !s.isEmpty())) {
            return l.stream().map(String.class::cast).toList();
        }
        throw reject("the token has no valid audience (aud)");
    }

    private static Instant numericDate(Map<String, Object> claims, String name, boolean required) {
        Object v = claims.get(name);
        if (v == null) {
            if (required) {
                throw reject("the token has no '" + name + "' claim");
            }
            return null;
        }
        if (!(v instanceof Long l)) {
            throw reject("claim '" + name + "' must be a whole number of seconds (NumericDate)");
        }
        if (l < 0 || l > 253402300799L) {
            throw reject("claim '" + name + "' is out of range");
        }
        return Instant.ofEpochSecond(l);
    }

    private static TokenRejectedException reject(String why) {
        return new TokenRejectedException(why);
    }

    /** Configures a verifier; contradictory or missing intent fails in {@link #build()}. */
    public static final class Builder {
        private String issuer;
        private Set<String> audiences;
        private boolean anyAudience;
        private Set<JWSAlgorithm> algorithms;
        private JWKSource<SecurityContext> keys;
        private Duration leeway = Duration.ofSeconds(60);
        private Duration expiryLeeway;
        private Clock clock = Clock.systemUTC();
        private Predicate<String> revoked;
        private StatusListClient statusList;

        /** The exact {@code iss} string expected. */
        public Builder issuer(String v) { issuer = v; return this; }
        /** Accept tokens carrying at least one of these audiences. */
        public Builder audiences(String... v) { audiences = Set.of(v); return this; }
        /** Accept any audience. Only for the issuer itself (introspection), never for a relying party. */
        public Builder anyAudienceForIntrospection() { anyAudience = true; return this; }
        public Builder algorithms(SigningAlgorithm... v) {
            algorithms = EnumSet.copyOf(List.of(v)).stream().map(SigningAlgorithm::jws).collect(java.util.stream.Collectors.toUnmodifiableSet());
            return this;
        }
        public Builder keys(JWKSource<SecurityContext> v) { keys = v; return this; }
        /** Clock skew tolerated for {@code nbf}, {@code iat} and (unless set apart) {@code exp}; at most 5 minutes. */
        public Builder leeway(Duration v) { leeway = v; return this; }
        /** Clock skew tolerated for {@code exp} alone. */
        public Builder expiryLeeway(Duration v) { expiryLeeway = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        /** Refuses tokens whose jti this says are revoked. */
        public Builder revocation(Predicate<String> isRevoked) { revoked = isRevoked; return this; }
        /**
         * Requires a {@code status} claim and refuses tokens whose entry in the issuer's token status list is not
         * VALID. The client's issuer must be this verifier's.
         */
        public Builder statusList(StatusListClient client) { statusList = client; return this; }

        public TokenVerifier build() {
            if (issuer == null || issuer.isEmpty()) {
                throw new IllegalStateException("a verifier needs the exact issuer it trusts");
            }
            if (anyAudience == (audiences != null)) {
                throw new IllegalStateException("state the accepted audiences, or (for introspection only) any audience — not both, not neither");
            }
            if (algorithms == null || algorithms.isEmpty()) {
                throw new IllegalStateException("name the algorithms to accept");
            }
            Objects.requireNonNull(keys, "a verifier needs a key source");
            if (statusList != null && !statusList.issuer().equals(issuer)) {
                throw new IllegalStateException("the status list client trusts issuer " + statusList.issuer()
                        + ", this verifier " + issuer);
            }
            for (Duration d : new Duration[] {leeway, expiryLeeway}) {
                if (d != null && (d.isNegative() || d.compareTo(Duration.ofMinutes(5)) > 0)) {
                    throw new IllegalStateException("leeway must be between 0s and 5m");
                }
            }
            return new TokenVerifier(this);
        }
    }
}
