package io.jenkins.plugins.runidentity.core;

import java.time.Duration;

/**
 * How a run identity is turned into a downstream credential: an admin-defined profile that a run names by id.
 * For every call (the exchange, and again for the revocation) the engine mints a fresh, single-use assertion
 * from {@link #template()} for exactly one audience, lives at most {@link #MAX_ASSERTION_TTL}, and revokes it as
 * soon as the call is done.
 *
 * @param id                 {@code [a-z0-9][a-z0-9-]*}
 * @param grant              how the assertion is presented
 * @param tokenEndpoint      the downstream token endpoint (https; http only on loopback)
 * @param clientId           the downstream client id; sent as {@code client_id} when set (required with a secret)
 * @param issuer             issuer id to mint the assertion with, or null for the template's only issuer
 * @param template           the scope template the assertion is minted from; its audiences must include the one
 *                           used here, so discovery can pick an audience but never widen the template
 * @param discovery          the downstream's issuer URL (or its discovery document's URL): the assertion's
 *                           audience is the {@code issuer} named there. Exactly one of this and
 *                           {@code assertionAudience}.
 * @param assertionAudience  a fixed assertion audience instead of discovery
 * @param assertionTtl       the assertion's lifetime, at most 60 s (default 60 s)
 * @param scope              the scope to request downstream, or null
 * @param audience           the {@code audience} to request downstream, or null
 * @param revocationEndpoint the downstream RFC 7009 endpoint; when set, the downstream token is revoked when the
 *                           run's block ends
 * @param clientSecret       the name of a client secret (token exchange only), resolved through
 *                           {@link ClientSecrets}; never the secret itself
 */
public record ExchangeProfile(String id, ExchangeGrant grant, String tokenEndpoint, String clientId, String issuer,
                              String template, String discovery, String assertionAudience, Duration assertionTtl,
                              String scope, String audience, String revocationEndpoint, String clientSecret) {
    public static final Duration MAX_ASSERTION_TTL = Duration.ofSeconds(60);

    public ExchangeProfile {
        IssuerConfig.checkId("exchange profile", id);
        String where = "exchange profile '" + id + "'";
        if (grant == null) {
            grant = ExchangeGrant.CLIENT_CREDENTIALS;
        }
        tokenEndpoint = endpoint(where, "tokenEndpoint", tokenEndpoint, true);
        revocationEndpoint = endpoint(where, "revocationEndpoint", revocationEndpoint, false);
        discovery = endpoint(where, "discovery", blankToNull(discovery), false);
        clientId = blankToNull(clientId);
        issuer = blankToNull(issuer);
        if (issuer != null) {
            IssuerConfig.checkId("issuer", issuer);
        }
        if (template == null || template.isBlank()) {
            throw new ConfigurationException(where + ": names no template to mint its assertion with");
        }
        assertionAudience = blankToNull(assertionAudience);
        if ((discovery == null) == (assertionAudience == null)) {
            throw new ConfigurationException(where + ": set exactly one of discovery (the downstream's issuer URL, whose"
                    + " discovery document names the assertion audience) and assertionAudience");
        }
        assertionTtl = assertionTtl == null ? MAX_ASSERTION_TTL : assertionTtl;
        if (assertionTtl.compareTo(Duration.ofSeconds(1)) < 0 || assertionTtl.compareTo(MAX_ASSERTION_TTL) > 0) {
            throw new ConfigurationException(where + ": assertionTtl " + DurationFormat.format(assertionTtl)
                    + " must be between 1s and 60s; an assertion is used once, right after it is minted");
        }
        scope = blankToNull(scope);
        if (scope != null && !scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*")) {
            throw new ConfigurationException(where + ": scope " + UserText.quote(scope)
                    + " is not valid (space-separated printable ASCII values, RFC 6749 §3.3)");
        }
        audience = blankToNull(audience);
        clientSecret = blankToNull(clientSecret);
        if (clientSecret != null) {
            ClientSecrets.checkName(clientSecret);
            if (grant == ExchangeGrant.CLIENT_CREDENTIALS) {
                throw new ConfigurationException(where + ": the client-credentials grant authenticates with the assertion"
                        + " itself; a clientSecret is only for token-exchange");
            }
            if (clientId == null) {
                throw new ConfigurationException(where + ": a clientSecret needs the clientId it belongs to");
            }
        }
    }

    /** Builds a profile; unset fields take the documented defaults. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String endpoint(String where, String name, String url, boolean required) {
        if (url == null || url.isBlank()) {
            if (required) {
                throw new ConfigurationException(where + ": needs a " + name);
            }
            return null;
        }
        IssuerConfig.checkHttpUrl(where + ": " + name + " " + UserText.quote(url), url);
        return url;
    }

    /** Builds an {@link ExchangeProfile}. */
    public static final class Builder {
        private final String id;
        private ExchangeGrant grant;
        private String tokenEndpoint, clientId, issuer, template, discovery, assertionAudience, scope, audience,
                revocationEndpoint, clientSecret;
        private Duration assertionTtl;

        private Builder(String id) {
            this.id = id;
        }

        public Builder grant(ExchangeGrant v) { grant = v; return this; }
        public Builder tokenEndpoint(String v) { tokenEndpoint = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder template(String v) { template = v; return this; }
        public Builder discovery(String v) { discovery = v; return this; }
        public Builder assertionAudience(String v) { assertionAudience = v; return this; }
        public Builder assertionTtl(Duration v) { assertionTtl = v; return this; }
        public Builder scope(String v) { scope = v; return this; }
        public Builder audience(String v) { audience = v; return this; }
        public Builder revocationEndpoint(String v) { revocationEndpoint = v; return this; }
        public Builder clientSecret(String v) { clientSecret = v; return this; }

        public ExchangeProfile build() {
            return new ExchangeProfile(id, grant, tokenEndpoint, clientId, issuer, template, discovery, assertionAudience,
                    assertionTtl, scope, audience, revocationEndpoint, clientSecret);
        }
    }
}
