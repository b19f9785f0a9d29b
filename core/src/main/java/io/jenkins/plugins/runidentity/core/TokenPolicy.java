package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a run may have what it asks for. A request may only narrow its template; every refusal says
 * what was asked and what is allowed.
 */
public final class TokenPolicy {
    private final EngineConfig config;

    public TokenPolicy(EngineConfig config) {
        this.config = config;
    }

    /**
     * @throws RequestDeniedException (not yet audited: the engine audits it)
     */
    public Grant decide(MintRequest request, RunFacts facts) {
        if (request.template() == null || request.template().isBlank()) {
            throw deny("no template named; configured templates: " + list(config.templateIds()));
        }
        ScopeTemplate template = config.template(request.template()).orElseThrow(() -> deny(
                "unknown template " + UserText.quote(request.template()) + "; configured templates: " + list(config.templateIds())));
        IssuerConfig issuer = chooseIssuer(request, template);

        if (template.allowedJobs().stream().map(Glob::compile).noneMatch(g -> g.matches(facts.job()))) {
            throw deny("job " + UserText.quote(facts.job()) + " may not use template '" + template.id() + "'; allowed jobs: "
                    + list(template.allowedJobs()));
        }
        if (!template.allowedBranches().isEmpty()
                && template.allowedBranches().stream().map(Glob::compile).noneMatch(g -> g.matches(facts.branch()))) {
            throw deny("branch " + UserText.quote(facts.branch()) + " of job " + UserText.quote(facts.job())
                    + " may not use template '" + template.id() + "'; allowed branches: " + list(template.allowedBranches()));
        }

        List<String> audiences = template.audiences();
        if (request.audience() != null && !request.audience().isEmpty()) {
            if (!template.audiences().contains(request.audience())) {
                throw deny("audience " + UserText.quote(request.audience()) + " is not allowed by template '" + template.id()
                        + "'; allowed audiences: " + list(template.audiences()));
            }
            audiences = List.of(request.audience());
        }

        List<String> scope = template.scope();
        if (request.scope() != null && !request.scope().isBlank()) {
            Set<String> asked = new LinkedHashSet<>(Arrays.asList(request.scope().trim().split(" +")));
            for (String s : asked) {
                if (!template.scope().contains(s)) {
                    throw deny("scope " + UserText.quote(s) + " is not allowed by template '" + template.id()
                            + "'; allowed scope: " + (template.scope().isEmpty() ? "(none)" : String.join(" ", template.scope())));
                }
            }
            scope = new ArrayList<>(asked);
        }

        Duration ttl = template.defaultTtl();
        if (request.ttl() != null && !request.ttl().isBlank()) {
            try {
                ttl = DurationFormat.parse(request.ttl());
            } catch (IllegalArgumentException e) {
                throw deny("ttl " + e.getMessage());
            }
            if (ttl.compareTo(template.maxTtl()) > 0) {
                throw deny("ttl " + DurationFormat.format(ttl) + " exceeds the maximum of template '" + template.id() + "', "
                        + DurationFormat.format(template.maxTtl()));
            }
        }

        Map<String, String> vars = new LinkedHashMap<>(facts.variables());
        vars.put("issuer", issuer.id());
        vars.put("template", template.id());
        String subject = render(template, "subject", template.subject(), vars, facts);
        Map<String, String> claims = new LinkedHashMap<>();
        template.claims().forEach((name, format) -> claims.put(name, render(template, "claim '" + name + "'", format, vars, facts)));
        return new Grant(issuer, template, facts, subject, audiences, scope, ttl, claims);
    }

    private IssuerConfig chooseIssuer(MintRequest request, ScopeTemplate template) {
        List<String> allowed = template.issuers().isEmpty() ? config.issuerIds() : template.issuers();
        if (request.issuer() == null || request.issuer().isBlank()) {
            if (allowed.size() == 1) {
                return config.issuer(allowed.get(0)).orElseThrow();
            }
            throw deny("template '" + template.id() + "' can be used with several issuers; name one of: " + list(allowed));
        }
        IssuerConfig issuer = config.issuer(request.issuer()).orElseThrow(() -> deny(
                "unknown issuer " + UserText.quote(request.issuer()) + "; configured issuers: " + list(config.issuerIds())));
        if (!allowed.contains(issuer.id())) {
            throw deny("template '" + template.id() + "' may not be used with issuer '" + issuer.id() + "'; allowed issuers: "
                    + list(allowed));
        }
        return issuer;
    }

    private static String render(ScopeTemplate t, String what, String format, Map<String, String> vars, RunFacts facts) {
        try {
            return TemplateFormat.parse(format).render(vars);
        } catch (IllegalArgumentException missing) {
            throw deny("template '" + t.id() + "' " + what + " needs " + missing.getMessage() + ", which run "
                    + UserText.quote(facts.runId()) + " does not have");
        }
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }

    private static RequestDeniedException deny(String message) {
        return new RequestDeniedException(message);
    }
}
