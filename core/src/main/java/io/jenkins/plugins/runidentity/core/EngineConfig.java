package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything an admin configures: issuers, scope templates and two clock settings.
 *
 * @param issuers           at least one
 * @param templates         scope templates; each may only name configured issuers
 * @param notBeforeBackdate how far {@code nbf} lies before {@code iat}, for relying parties whose clocks run behind
 * @param leeway            clock skew tolerated when verifying {@code nbf} and {@code iat} (at most 5 minutes)
 * @param exchanges         exchange profiles; each names a configured template (and issuer, if any)
 */
public record EngineConfig(List<IssuerConfig> issuers, List<ScopeTemplate> templates, Duration notBeforeBackdate,
                           Duration leeway, List<ExchangeProfile> exchanges) {
    public static final Duration DEFAULT_BACKDATE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);

    public EngineConfig {
        issuers = List.copyOf(issuers == null ? List.of() : issuers);
        templates = List.copyOf(templates == null ? List.of() : templates);
        if (issuers.isEmpty()) {
            throw new ConfigurationException("no issuer is configured; add at least one");
        }
        unique("issuer", issuers.stream().map(IssuerConfig::id).toList());
        unique("template", templates.stream().map(ScopeTemplate::id).toList());
        unique("issuer URL", issuers.stream().map(IssuerConfig::url).toList());
        Set<String> ids = issuers.stream().map(IssuerConfig::id).collect(Collectors.toSet());
        for (ScopeTemplate t : templates) {
            for (String i : t.issuers()) {
                if (!ids.contains(i)) {
                    throw new ConfigurationException("template '" + t.id() + "' names issuer '" + i
                            + "', which is not configured; configured issuers: " + String.join(", ", ids.stream().sorted().toList()));
                }
            }
        }
        exchanges = List.copyOf(exchanges == null ? List.of() : exchanges);
        unique("exchange profile", exchanges.stream().map(ExchangeProfile::id).toList());
        for (ExchangeProfile x : exchanges) {
            checkExchange(x, issuers, templates);
        }
        notBeforeBackdate = notBeforeBackdate == null ? DEFAULT_BACKDATE : notBeforeBackdate;
        leeway = leeway == null ? DEFAULT_LEEWAY : leeway;
        if (notBeforeBackdate.isNegative() || notBeforeBackdate.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigurationException("not-before backdate must be between 0s and 5m");
        }
        if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigurationException("leeway must be between 0s and 5m");
        }
    }

    public EngineConfig(List<IssuerConfig> issuers, List<ScopeTemplate> templates) {
        this(issuers, templates, null, null, null);
    }

    public EngineConfig(List<IssuerConfig> issuers, List<ScopeTemplate> templates, Duration notBeforeBackdate, Duration leeway) {
        this(issuers, templates, notBeforeBackdate, leeway, null);
    }

    private static void checkExchange(ExchangeProfile x, List<IssuerConfig> issuers, List<ScopeTemplate> templates) {
        String where = "exchange profile '" + x.id() + "'";
        ScopeTemplate t = templates.stream().filter(s -> s.id().equals(x.template())).findFirst().orElseThrow(() ->
                new ConfigurationException(where + " names template " + UserText.quote(x.template())
                        + ", which is not configured; configured templates: "
                        + String.join(", ", templates.stream().map(ScopeTemplate::id).toList())));
        if (x.issuer() != null && issuers.stream().noneMatch(i -> i.id().equals(x.issuer()))) {
            throw new ConfigurationException(where + " names issuer " + UserText.quote(x.issuer()) + ", which is not configured");
        }
        if (x.assertionAudience() != null && !t.audiences().contains(x.assertionAudience())) {
            throw new ConfigurationException(where + ": assertionAudience " + UserText.quote(x.assertionAudience())
                    + " is not one of template '" + t.id() + "''s audiences: " + String.join(", ", t.audiences()));
        }
    }

    private static void unique(String what, List<String> values) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                throw new ConfigurationException(what + " " + UserText.quote(v) + " is configured twice");
            }
        }
    }

    public Optional<IssuerConfig> issuer(String id) {
        return issuers.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    public Optional<ScopeTemplate> template(String id) {
        return templates.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public List<String> issuerIds() {
        return issuers.stream().map(IssuerConfig::id).toList();
    }

    public Optional<ExchangeProfile> exchange(String id) {
        return exchanges.stream().filter(x -> x.id().equals(id)).findFirst();
    }

    public List<String> templateIds() {
        return templates.stream().map(ScopeTemplate::id).toList();
    }
}
