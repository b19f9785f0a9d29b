package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a run's identity into a downstream credential with an {@link ExchangeProfile}, and revokes that credential
 * when the run's block ends. Every call to the downstream is authenticated by a fresh {@link ClientAssertion}
 * (its own engine session, revoked right after the call), so no assertion is ever presented twice.
 *
 * <p>Audited: {@code exchanged} (profile, endpoint, expires_in — never the token), {@code exchange-failed},
 * {@code downstream-revoked} and {@code downstream-revoke-failed} (with the reason).
 */
public final class DownstreamExchange {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String WELL_KNOWN = "/.well-known/openid-configuration";
    /** How long a discovered assertion audience is reused. */
    static final Duration DISCOVERY_CACHE = Duration.ofMinutes(5);
    /** Anything that looks like a JWT is cut out of downstream error text before it is shown. */
    private static final Pattern JWT_LIKE = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    private final RunIdentityEngine engine;
    private final DownstreamHttp http;
    private final ClientSecrets secrets;
    private final Clock clock;
    private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();

    private record Discovered(String audience, Instant until) {}

    public DownstreamExchange(RunIdentityEngine engine, DownstreamHttp http, ClientSecrets secrets, Clock clock) {
        this.engine = engine;
        this.http = http;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** The profile called {@code id}, or a refusal that lists the configured ones. */
    public ExchangeProfile profile(String id) {
        return engine.config().exchange(id).orElseThrow(() -> new ExchangeFailedException("unknown exchange profile "
                + UserText.quote(id) + "; configured profiles: " + (engine.config().exchanges().isEmpty() ? "(none)"
                : engine.config().exchanges().stream().map(ExchangeProfile::id).collect(Collectors.joining(", "))), true));
    }

    /**
     * Exchanges a fresh assertion for a downstream access token.
     *
     * @param run   the run's open session; the assertion is minted for the same run facts
     * @param owner who holds the assertion's short session
     * @throws ExchangeFailedException after recording {@code exchange-failed}; the caller closes {@code run} with
     *                                 {@link CloseReason#EXCHANGE_FAILED}
     */
    public DownstreamToken exchange(String profileId, Session run, String owner) {
        ExchangeProfile p = profile(profileId);
        try {
            Map<String, String> form = new LinkedHashMap<>();
            Map<String, String> headers = new LinkedHashMap<>();
            Secrets known = new Secrets();
            if (run.token() != null) {
                known.add(run.token().revealSerialized());
            }
            DownstreamHttp.Response r;
            try (ClientAssertion a = mintAssertion(p, run, owner)) {
                known.add(a.revealSerialized());
                if (p.grant() == ExchangeGrant.CLIENT_CREDENTIALS) {
                    form.put("grant_type", "client_credentials");
                    asClientAssertion(p, a, form);
                } else {
                    form.put("grant_type", TOKEN_EXCHANGE);
                    form.put("subject_token", a.revealSerialized());
                    form.put("subject_token_type", JWT_TOKEN_TYPE);
                    form.put("requested_token_type", ACCESS_TOKEN_TYPE);
                    withClientSecret(p, form, headers, known);
                }
                putIfSet(form, "scope", p.scope());
                putIfSet(form, "audience", p.audience());
                r = post("exchange '" + p.id() + "'", p.tokenEndpoint(), form, headers, known);
                if (r.status() != 200) {
                    throw refusal("exchange '" + p.id() + "' failed", p.tokenEndpoint(), r, a, known);
                }
            }
            DownstreamToken token = parseToken(p, run, r);
            AuditEvent.Builder done = runEvent(AuditEvent.EXCHANGED, p, p.tokenEndpoint(), run).put("grant", p.grant().code())
                    .put("token_type", token.tokenType()).put("scope", token.scope().orElse(null));
            token.expiresAt().ifPresent(e -> done.put("expires_in", Duration.between(token.obtainedAt(), e).toSeconds()));
            engine.record(done.build());
            return token;
        } catch (ExchangeFailedException e) {
            engine.record(runEvent(AuditEvent.EXCHANGE_FAILED, p, p.tokenEndpoint(), run).put("reason", e.getMessage()).build());
            throw e;
        }
    }

    /**
     * Revokes a downstream token (and its refresh token, if one came with it) at the profile's revocation endpoint,
     * each call with a fresh assertion. Never throws for a downstream failure: the outcome is audited and returned.
     */
    public DownstreamRevocation revoke(DownstreamToken token, Session run, String owner) {
        ExchangeProfile p = profile(token.profile());
        if (p.revocationEndpoint() == null) {
            return DownstreamRevocation.notConfigured();
        }
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put("access_token", token.revealAccessToken());
        if (token.refreshToken() != null) {
            hints.put("refresh_token", token.refreshToken());
        }
        String failure = null;
        for (Map.Entry<String, String> t : hints.entrySet()) {
            Secrets known = new Secrets();
            hints.values().forEach(known::add); // a downstream may echo either token, whichever is being revoked
            String reason = revokeOne(p, run, owner, t.getValue(), t.getKey(), known);
            AuditEvent.Builder e = runEvent(reason == null ? AuditEvent.DOWNSTREAM_REVOKED : AuditEvent.DOWNSTREAM_REVOKE_FAILED,
                    p, p.revocationEndpoint(), run).put("token_type_hint", t.getKey()).put("reason", reason);
            engine.record(e.build());
            failure = failure == null ? reason : failure;
        }
        return failure == null ? DownstreamRevocation.revoked() : DownstreamRevocation.failed(failure);
    }

    private String revokeOne(ExchangeProfile p, Session run, String owner, String token, String hint, Secrets known) {
        try {
            Map<String, String> form = new LinkedHashMap<>();
            Map<String, String> headers = new LinkedHashMap<>();
            form.put("token", token);
            form.put("token_type_hint", hint);
            String what = "revoking the downstream " + hint.replace('_', ' ') + " of exchange '" + p.id() + "'";
            if (p.grant() == ExchangeGrant.CLIENT_CREDENTIALS) {
                try (ClientAssertion a = mintAssertion(p, run, owner)) {
                    known.add(a.revealSerialized());
                    asClientAssertion(p, a, form);
                    return revocationAnswer(what, p, post(what, p.revocationEndpoint(), form, headers, known), a, known);
                }
            }
            withClientSecret(p, form, headers, known);
            return revocationAnswer(what, p, post(what, p.revocationEndpoint(), form, headers, known), null, known);
        } catch (ExchangeFailedException e) {
            return e.getMessage();
        }
    }

    /** RFC 7009: 200 means revoked — unless the body carries an error, as Keycloak's does for tokens it cannot read. */
    private String revocationAnswer(String what, ExchangeProfile p, DownstreamHttp.Response r, ClientAssertion a, Secrets known) {
        if (r.status() == 200 && errorOf(r) == null) {
            return null;
        }
        return refusal(what + " failed", p.revocationEndpoint(), r, a, known).getMessage();
    }

    /**
     * Mints a single-use assertion for the profile's downstream, for callers that present it themselves (e.g. to
     * introspect a downstream token). Close it right after use.
     */
    public ClientAssertion mintAssertion(String profileId, Session run, String owner) {
        return mintAssertion(profile(profileId), run, owner);
    }

    private ClientAssertion mintAssertion(ExchangeProfile p, Session run, String owner) {
        String audience = assertionAudience(p);
        ScopeTemplate t = engine.config().template(p.template()).orElseThrow();
        Duration ttl = p.assertionTtl().compareTo(t.maxTtl()) > 0 ? t.maxTtl() : p.assertionTtl();
        try {
            Session s = engine.openSession(new MintRequest(p.issuer(), p.template(), audience, null, DurationFormat.format(ttl)),
                    run.facts(), owner);
            return new ClientAssertion(engine, s);
        } catch (RequestDeniedException e) {
            throw new ExchangeFailedException("exchange '" + p.id() + "': cannot mint its assertion: " + e.getMessage(), true);
        }
    }

    /** The fixed audience, or the {@code issuer} of the downstream's discovery document (cached for a few minutes). */
    String assertionAudience(ExchangeProfile p) {
        if (p.assertionAudience() != null) {
            return p.assertionAudience();
        }
        Instant now = clock.instant();
        Discovered d = discovered.get(p.id());
        if (d != null && now.isBefore(d.until())) {
            return d.audience();
        }
        String url = p.discovery().endsWith(WELL_KNOWN) ? p.discovery() : p.discovery() + WELL_KNOWN;
        String what = "exchange '" + p.id() + "': the discovery document " + url;
        DownstreamHttp.Response r;
        try {
            r = http.send(new DownstreamHttp.Request("GET", URI.create(url), Map.of("Accept", "application/json"), null));
        } catch (IOException e) {
            throw new ExchangeFailedException(what + " could not be read: " + oneLine(e.getMessage()), false);
        }
        if (r.status() != 200) {
            throw new ExchangeFailedException(what + " answered " + r.status() + " instead of 200", r.status() / 100 == 4);
        }
        Map<String, Object> doc = json(r);
        Object issuer = doc == null ? null : doc.get("issuer");
        if (!(issuer instanceof String iss) || iss.isBlank()) {
            throw new ExchangeFailedException(what + " names no issuer", false);
        }
        Object tokenEndpoint = doc.get("token_endpoint");
        if (tokenEndpoint instanceof String te && !te.equals(p.tokenEndpoint())) {
            throw new ExchangeFailedException(what + " names the token endpoint " + UserText.quote(te) + ", but the profile posts to "
                    + UserText.quote(p.tokenEndpoint()) + "; use the same scheme, host and port in both, because the downstream"
                    + " derives the audience it expects from the address it is called at", true);
        }
        discovered.put(p.id(), new Discovered(iss, now.plus(DISCOVERY_CACHE)));
        return iss;
    }

    private static void asClientAssertion(ExchangeProfile p, ClientAssertion a, Map<String, String> form) {
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", a.revealSerialized());
        putIfSet(form, "client_id", p.clientId());
    }

    private void withClientSecret(ExchangeProfile p, Map<String, String> form, Map<String, String> headers, Secrets known) {
        if (p.clientSecret() == null) {
            putIfSet(form, "client_id", p.clientId());
            return;
        }
        String secret = secrets.reveal(p.clientSecret());
        String pair = formEncode(p.clientId()) + ":" + formEncode(secret);
        String basic = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        known.add(secret);
        known.add(basic);
        headers.put("Authorization", "Basic " + basic);
    }

    private DownstreamHttp.Response post(String what, String endpoint, Map<String, String> form, Map<String, String> headers,
                                         Secrets known) {
        String body = form.entrySet().stream().map(e -> formEncode(e.getKey()) + "=" + formEncode(e.getValue()))
                .collect(Collectors.joining("&"));
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.put("Accept", "application/json");
        try {
            return http.send(new DownstreamHttp.Request("POST", URI.create(endpoint), h, body.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ExchangeFailedException(what + ": no usable answer from " + endpoint + ": "
                    + oneLine(e.getMessage() == null ? null : known.redact(e.getMessage())), false);
        }
    }

    private DownstreamToken parseToken(ExchangeProfile p, Session run, DownstreamHttp.Response r) {
        String what = "exchange '" + p.id() + "' failed: " + p.tokenEndpoint() + " answered 200 but ";
        Map<String, Object> doc = json(r);
        if (doc == null) {
            throw new ExchangeFailedException(what + "not with a JSON object", false);
        }
        if (!(doc.get("access_token") instanceof String access) || access.isEmpty()) {
            throw new ExchangeFailedException(what + "without an access_token", false);
        }
        String type = doc.get("token_type") instanceof String s && !s.isBlank() ? s : "Bearer";
        Duration expiresIn = doc.get("expires_in") instanceof Number n && n.longValue() > 0 ? Duration.ofSeconds(n.longValue()) : null;
        String scope = doc.get("scope") instanceof String s ? s : null;
        String refresh = doc.get("refresh_token") instanceof String s && !s.isEmpty() ? s : null;
        return new DownstreamToken(p.id(), run.id(), type, clock.instant().truncatedTo(ChronoUnit.SECONDS), expiresIn, scope,
                access, refresh);
    }

    /**
     * Explains a downstream's refusal in one line: status, error, description (quoted, every secret of this call and
     * anything shaped like a JWT removed), and what we presented.
     */
    private ExchangeFailedException refusal(String what, String endpoint, DownstreamHttp.Response r, ClientAssertion a,
                                            Secrets known) {
        String[] error = errorOf(r);
        StringBuilder m = new StringBuilder(what).append(": ").append(endpoint).append(" answered ").append(r.status());
        if (error != null) {
            m.append(' ').append(UserText.quote(known.redact(error[0])));
            if (error[1] != null) {
                m.append(": ").append(UserText.quote(known.redact(error[1])));
            }
        }
        if (a != null) {
            m.append(" (assertion: iss ").append(UserText.quote(a.issuer())).append(", sub ").append(UserText.quote(a.subject()))
                    .append(", aud ").append(UserText.quote(a.audience())).append(", kid ").append(UserText.quote(a.kid())).append(')');
            if (r.status() == 401) {
                m.append("; the downstream did not accept the assertion's issuer, subject or signature: it must trust this"
                        + " issuer, expect this subject, and be able to fetch this key from the issuer's JWKS");
            }
        }
        int s = r.status();
        return new ExchangeFailedException(m.toString(), s >= 400 && s < 500 && s != 408 && s != 429);
    }

    /** {@code [error, error_description]} from an RFC 6749 error body, or null. */
    private static String[] errorOf(DownstreamHttp.Response r) {
        Map<String, Object> doc = json(r);
        if (doc == null || !(doc.get("error") instanceof String e)) {
            return null;
        }
        return new String[] {e, doc.get("error_description") instanceof String d ? d : null};
    }

    private static Map<String, Object> json(DownstreamHttp.Response r) {
        if (r.body().length == 0) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(new String(r.body(), StandardCharsets.UTF_8));
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }

    private AuditEvent.Builder runEvent(String type, ExchangeProfile p, String endpoint, Session run) {
        return AuditEvent.of(type, clock.instant().truncatedTo(ChronoUnit.SECONDS)).put("profile", p.id()).put("endpoint", endpoint)
                .put("session", run.id()).put("issuer", run.issuerId()).put("job", run.facts().job())
                .put("build", run.facts().buildNumber()).put("run", run.facts().runId());
    }

    private static void putIfSet(Map<String, String> form, String name, String value) {
        if (value != null) {
            form.put(name, value);
        }
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The secrets one call to a downstream involves — the tokens it sent or received, the client assertion, the client
     * secret and the header made of it — so that none of them is repeated from text the downstream wrote (an error or
     * its description that echoes what it was sent) into an audit record, an exception or a console. An echo is removed
     * whole, form-encoded, or in part: any run of {@value #WINDOW} or more characters of a secret; then anything
     * shaped like a JWT is removed too, whoever's it is.
     */
    static final class Secrets {
        /** Shorter pieces of a secret are too common to tell apart from ordinary text, and reveal little. */
        static final int WINDOW = 12;
        /** Text this short cannot be a secret worth the name, and removing it would garble every message. */
        static final int SHORTEST = 4;
        /** Downstream text beyond this is not read: a message shows far less. */
        private static final int MAX_TEXT = 2048;
        private final java.util.List<String> whole = new java.util.ArrayList<>();
        private final java.util.Set<String> pieces = new java.util.HashSet<>();

        void add(String secret) {
            if (secret == null || secret.length() < SHORTEST) {
                return;
            }
            for (String form : new String[] {secret, formEncode(secret)}) {
                whole.add(form);
                for (int i = 0; i + WINDOW <= form.length(); i++) {
                    pieces.add(form.substring(i, i + WINDOW));
                }
            }
        }

        String redact(String text) {
            if (text.length() > MAX_TEXT) {
                text = text.substring(0, MAX_TEXT);
            }
            boolean[] cut = new boolean[text.length()];
            for (String w : whole) {
                for (int at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
                    java.util.Arrays.fill(cut, at, at + w.length(), true);
                }
            }
            for (int i = 0; i + WINDOW <= text.length(); i++) {
                if (pieces.contains(text.substring(i, i + WINDOW))) {
                    java.util.Arrays.fill(cut, i, i + WINDOW, true);
                }
            }
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                if (!cut[i]) {
                    out.append(text.charAt(i));
                } else if (i == 0 || !cut[i - 1]) {
                    out.append("[secret removed]");
                }
            }
            return JWT_LIKE.matcher(out).replaceAll("[token removed]");
        }
    }

    private static String oneLine(String s) {
        return s == null ? "(no detail)" : UserText.quote(s.lines().findFirst().orElse("")).replaceAll("^'|'$", "");
    }
}
