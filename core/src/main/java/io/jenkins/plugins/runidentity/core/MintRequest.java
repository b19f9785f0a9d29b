package io.jenkins.plugins.runidentity.core;

/**
 * What a run asks for. Every optional field may only narrow what the template grants.
 *
 * @param issuer   issuer id, or null for the only issuer the template (or the configuration) allows
 * @param template scope template id
 * @param audience one of the template's audiences, or null for all of them
 * @param scope    space-separated subset of the template's scope, or null for all of it
 * @param ttl      lifetime in {@link DurationFormat} syntax, at most the template's maximum, or null for its default
 */
public record MintRequest(String issuer, String template, String audience, String scope, String ttl) {

    public static MintRequest of(String issuer, String template) {
        return new MintRequest(issuer, template, null, null, null);
    }

    public MintRequest withAudience(String a) {
        return new MintRequest(issuer, template, a, scope, ttl);
    }

    public MintRequest withScope(String s) {
        return new MintRequest(issuer, template, audience, s, ttl);
    }

    public MintRequest withTtl(String t) {
        return new MintRequest(issuer, template, audience, scope, t);
    }
}
