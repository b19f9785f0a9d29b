package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A relying party's view of an issuer's token status lists (draft-ietf-oauth-status-list-20): fetches the list a
 * token names, checks that it is a {@code statuslist+jwt} signed by the issuer's keys, for that URI, not expired, and
 * reads the token's entry. A list is cached for its {@code ttl} (at most five minutes) and never past its
 * {@code exp}. Only URIs below the issuer's URL are fetched, so a token cannot send the relying party elsewhere.
 */
public final class StatusListClient {
    private static final Duration MAX_CACHE = Duration.ofMinutes(5);
    private static final Set<String> ALLOWED_HEADER = Set.of("alg", "kid", "typ");

    private final String issuer;
    private final Set<JWSAlgorithm> algorithms;
    private final JWKSource<SecurityContext> keys;
    private final Clock clock;
    private final Duration leeway;
    private final Function<URL, Resource> fetch;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(int bits, String lst, Instant until) {}

    private StatusListClient(String issuer, JWKSource<SecurityContext> keys, Clock clock, Function<URL, Resource> fetch,
                             SigningAlgorithm... algorithms) {
        this.issuer = IssuerConfig.checkUrl(issuer);
        this.keys = keys;
        this.clock = clock;
        this.leeway = Duration.ofSeconds(60);
        this.fetch = fetch;
        if (algorithms.length == 0) {
            throw new IllegalArgumentException("name the algorithms to accept");
        }
        this.algorithms = Arrays.stream(algorithms).map(SigningAlgorithm::jws).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A client that fetches status lists over HTTP(S).
     *
     * @param issuer the exact issuer URL; status lists are fetched only below it
     * @param keys   the issuer's keys, e.g. {@link TokenVerifier#remoteKeys(URL, Clock)}
     */
    public static StatusListClient remote(String issuer, JWKSource<SecurityContext> keys, Clock clock,
                                          SigningAlgorithm... algorithms) {
        DefaultResourceRetriever http = new DefaultResourceRetriever(2000, 2000, 1024 * 1024);
        http.setHeaders(Map.of("Accept", List.of("application/" + StatusList.TYPE)));
        return new StatusListClient(issuer, keys, clock, url -> {
            try {
                return http.retrieveResource(url);
            } catch (IOException e) {
                throw new TokenRejectedException("the status list " + url + " could not be fetched: " + e.getMessage());
            }
        }, algorithms);
    }

    /** The issuer whose lists this client trusts. */
    public String issuer() {
        return issuer;
    }

    /**
     * The status of a verified token's entry ({@link StatusList#VALID}, {@link StatusList#INVALID}, …).
     *
     * @param claims the claims of a token whose signature, issuer and expiry were already checked
     * @throws TokenRejectedException if the token names no status list, or its list cannot be fetched or trusted
     */
    public int statusOf(Map<String, Object> claims) {
        if (!(claims.get(Claims.STATUS) instanceof Map<?, ?> status) || !(status.get("status_list") instanceof Map<?, ?> ref)) {
            throw reject("the token has no status.status_list claim, so its revocation cannot be checked");
        }
        if (!(ref.get("idx") instanceof Long idx) || idx < 0 || !(ref.get("uri") instanceof String uri)) {
            throw reject("the token's status.status_list needs a non-negative integer idx and a uri");
        }
        if (!uri.startsWith(issuer + "/") || uri.contains("?") || uri.contains("#")) {
            throw reject("the token's status list " + UserText.quote(uri) + " is not below its issuer " + issuer);
        }
        Instant now = clock.instant();
        Cached list = cache.get(uri);
        if (list == null || !now.isBefore(list.until())) {
            list = load(uri, now);
            cache.put(uri, list);
        }
        try {
            return StatusList.valueAt(list.lst(), list.bits(), idx);
        } catch (IllegalArgumentException e) {
            cache.remove(uri);
            throw reject("status list " + uri + ": " + e.getMessage());
        }
    }

    private Cached load(String uri, Instant now) {
        Resource r;
        try {
            r = fetch.apply(URI.create(uri).toURL());
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw reject("the token's status list URI is not a URL");
        }
        String type = r.getContentType() == null ? "" : r.getContentType().split(";", 2)[0].trim();
        if (!type.equalsIgnoreCase("application/" + StatusList.TYPE)) {
            throw reject("status list " + uri + " was served as " + UserText.quote(type) + ", not application/" + StatusList.TYPE);
        }
        SignedJWT jwt;
        Map<String, Object> claims;
        try {
            jwt = SignedJWT.parse(r.getContent().trim());
            claims = jwt.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            throw reject("status list " + uri + " is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        for (String p : header.getIncludedParams()) {
            if (!ALLOWED_HEADER.contains(p)) {
                throw reject("status list " + uri + ": header parameter " + UserText.quote(p) + " is not accepted");
            }
        }
        if (!new JOSEObjectType(StatusList.TYPE).equals(header.getType())) {
            throw reject("status list " + uri + " has typ " + header.getType() + ", expected " + StatusList.TYPE);
        }
        if (!algorithms.contains(header.getAlgorithm()) || header.getKeyID() == null) {
            throw reject("status list " + uri + " is signed with an algorithm or key that is not accepted");
        }
        TokenVerifier.checkSignature(jwt, header, keys);
        if (claims == null || !issuer.equals(claims.get(Claims.ISSUER))) {
            throw reject("status list " + uri + " was not issued by " + issuer);
        }
        if (!uri.equals(claims.get(Claims.SUBJECT))) {
            throw reject("status list " + uri + " names a different subject " + UserText.quote(String.valueOf(claims.get(Claims.SUBJECT))));
        }
        if (!(claims.get(Claims.ISSUED_AT) instanceof Long)) {
            throw reject("status list " + uri + " has no iat");
        }
        Instant until = now.plus(MAX_CACHE);
        if (claims.get(Claims.EXPIRES) instanceof Long exp) {
            Instant expires = Instant.ofEpochSecond(exp);
            if (!now.isBefore(expires.plus(leeway))) {
                throw reject("status list " + uri + " expired at " + expires);
            }
            until = until.isAfter(expires) ? expires : until;
        } else if (claims.containsKey(Claims.EXPIRES)) {
            throw reject("status list " + uri + " has a malformed exp");
        }
        if (claims.get("ttl") instanceof Long ttl && ttl > 0) {
            Instant byTtl = now.plusSeconds(ttl);
            until = until.isAfter(byTtl) ? byTtl : until;
        }
        if (!(claims.get("status_list") instanceof Map<?, ?> sl) || !(sl.get("bits") instanceof Long bits)
                || !(sl.get("lst") instanceof String lst)) {
            throw reject("status list " + uri + " has no valid status_list claim (bits and lst)");
        }
        return new Cached(bits.intValue(), lst, until);
    }

    private static TokenRejectedException reject(String why) {
        return new TokenRejectedException(why);
    }
}
