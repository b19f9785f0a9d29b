package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.time.Instant;
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

    /**
     * When a token issued at {@code issued} expires: after the granted ttl, or at the run's deadline if the template
     * is bound by the run and the deadline comes first. Never later than the ttl allows.
     */
    public Instant expiresAt(Instant issued) {
        Instant byTtl = issued.plus(ttl);
        Instant deadline = facts.deadline();
        if (template.boundByRun() && deadline != null && deadline.isBefore(byTtl)) {
            return deadline;
        }
        return byTtl;
    }
}
