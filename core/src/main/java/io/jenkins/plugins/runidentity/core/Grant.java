package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A request that policy accepted: exactly what the token will say, before times and id are chosen.
 *
 * @param claims rendered extra claims from the template
 */
public record Grant(IssuerConfig issuer, ScopeTemplate template, RunFacts facts, String subject, List<String> audiences,
                    List<String> scope, Duration ttl, Map<String, String> claims) {
    public Grant {
        audiences = List.copyOf(audiences);
        scope = List.copyOf(scope);
        claims = Map.copyOf(claims);
    }
}
