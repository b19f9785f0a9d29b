package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a run may be granted: audiences, scope, subject, extra claims, lifetime, and who may use it. Formats
 * take {@code ${…}} variables from {@link RunFacts#VARIABLES} only; a template that names an unknown variable
 * or sets a {@link Claims#RESERVED reserved claim} cannot be built.
 *
 * @param id              {@code [a-z0-9][a-z0-9-]*}
 * @param description     free text for admins
 * @param audiences       the audiences a token may carry (at least one); a request may narrow to one of them
 * @param scope           scope values; a request may narrow to a subset
 * @param subject         the {@code sub} format; identifies the job, not the run, by default
 * @param claims          extra claims: name to format
 * @param defaultTtl      lifetime when the request names none
 * @param maxTtl          the longest lifetime a request may ask for (at most 24h)
 * @param allowedJobs     globs over job full names (at least one; {@code **} for every job)
 * @param allowedBranches globs over branch names; empty for no restriction
 * @param issuers         issuer ids this template may be used with; empty for every issuer
 * @param boundByRun      whether a token's {@code exp} is capped at the run's deadline ({@link RunFacts#deadline()})
 *                        when one is known; the template's maximum still applies
 */
public record ScopeTemplate(String id, String description, List<String> audiences, List<String> scope, String subject,
                            Map<String, String> claims, Duration defaultTtl, Duration maxTtl, List<String> allowedJobs,
                            List<String> allowedBranches, List<String> issuers, boolean boundByRun) {

    public static final String DEFAULT_SUBJECT = "job:${job}";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(1);
    public static final Duration HARD_MAX_TTL = Duration.ofHours(24);

    public ScopeTemplate {
        IssuerConfig.checkId("template", id);
        String where = "template '" + id + "'";
        description = description == null ? "" : description;
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
        if (audiences.isEmpty()) {
            throw new ConfigurationException(where + ": needs at least one audience");
        }
        for (String a : audiences) {
            if (a == null || a.isBlank()) {
                throw new ConfigurationException(where + ": an audience is empty");
            }
        }
        scope = List.copyOf(scope == null ? List.of() : scope);
        for (String s : scope) {
            if (s == null || s.isEmpty() || !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                throw new ConfigurationException(where + ": scope value " + UserText.quote(s)
                        + " is not valid (printable ASCII without spaces, quotes or backslashes, RFC 6749 §3.3)");
            }
        }
        subject = subject == null || subject.isBlank() ? DEFAULT_SUBJECT : subject;
        checkFormat(where, "subject", subject);
        Map<String, String> c = new LinkedHashMap<>(claims == null ? Map.of() : claims);
        for (Map.Entry<String, String> e : c.entrySet()) {
            String name = e.getKey();
            if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.:-]{0,63}")) {
                throw new ConfigurationException(where + ": claim name " + UserText.quote(name) + " is not valid");
            }
            if (Claims.RESERVED.contains(name)) {
                throw new ConfigurationException(where + ": claim '" + name + "' is reserved and set by the engine;"
                        + " reserved claims are " + String.join(", ", new TreeSet<>(Claims.RESERVED)));
            }
            checkFormat(where, "claim '" + name + "'", e.getValue());
        }
        claims = java.util.Collections.unmodifiableMap(c);
        defaultTtl = defaultTtl == null ? DEFAULT_TTL : defaultTtl;
        maxTtl = maxTtl == null ? (defaultTtl.compareTo(DEFAULT_MAX_TTL) > 0 ? defaultTtl : DEFAULT_MAX_TTL) : maxTtl;
        if (maxTtl.compareTo(HARD_MAX_TTL) > 0) {
            throw new ConfigurationException(where + ": maximum ttl " + DurationFormat.format(maxTtl)
                    + " is longer than the limit of 24h; run identities are short-lived");
        }
        if (defaultTtl.isNegative() || defaultTtl.isZero() || defaultTtl.compareTo(maxTtl) > 0) {
            throw new ConfigurationException(where + ": default ttl " + DurationFormat.format(defaultTtl)
                    + " must be positive and at most the maximum ttl " + DurationFormat.format(maxTtl));
        }
        allowedJobs = List.copyOf(allowedJobs == null ? List.of() : allowedJobs);
        if (allowedJobs.isEmpty()) {
            throw new ConfigurationException(where + ": allowedJobs is empty, so no job could use it; use ** to allow every job");
        }
        allowedJobs.forEach(g -> checkGlob(where, "allowed job", g));
        allowedBranches = List.copyOf(allowedBranches == null ? List.of() : allowedBranches);
        allowedBranches.forEach(g -> checkGlob(where, "allowed branch", g));
        issuers = List.copyOf(issuers == null ? List.of() : issuers);
        issuers.forEach(i -> IssuerConfig.checkId("issuer", i));
    }

    /** A template whose tokens are not bound by the run's deadline. */
    public ScopeTemplate(String id, String description, List<String> audiences, List<String> scope, String subject,
                         Map<String, String> claims, Duration defaultTtl, Duration maxTtl, List<String> allowedJobs,
                         List<String> allowedBranches, List<String> issuers) {
        this(id, description, audiences, scope, subject, claims, defaultTtl, maxTtl, allowedJobs, allowedBranches, issuers, false);
    }

    private static void checkFormat(String where, String what, String format) {
        TemplateFormat parsed;
        try {
            parsed = TemplateFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + what + ": " + e.getMessage());
        }
        for (String v : parsed.variables()) {
            if (!RunFacts.VARIABLES.contains(v)) {
                throw new ConfigurationException(where + ": " + what + " uses unknown variable ${" + v + "}; known variables are "
                        + String.join(", ", new TreeSet<>(RunFacts.VARIABLES)));
            }
        }
    }

    private static void checkGlob(String where, String what, String glob) {
        try {
            Glob.compile(glob);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + what + ": " + e.getMessage());
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Every variable the subject and claim formats use. */
    public Set<String> variablesUsed() {
        Set<String> vars = new TreeSet<>(TemplateFormat.parse(subject).variables());
        claims.values().forEach(f -> vars.addAll(TemplateFormat.parse(f).variables()));
        return vars;
    }

    /** Builds a {@link ScopeTemplate}; unset fields take the documented defaults. */
    public static final class Builder {
        private final String id;
        private String description = "";
        private List<String> audiences = new ArrayList<>();
        private List<String> scope = new ArrayList<>();
        private String subject = DEFAULT_SUBJECT;
        private final Map<String, String> claims = new LinkedHashMap<>();
        private Duration defaultTtl, maxTtl;
        private List<String> allowedJobs = new ArrayList<>();
        private List<String> allowedBranches = new ArrayList<>();
        private List<String> issuers = new ArrayList<>();
        private boolean boundByRun;

        private Builder(String id) {
            this.id = id;
        }

        public Builder description(String v) { description = v; return this; }
        public Builder audiences(String... v) { audiences = List.of(v); return this; }
        public Builder audiences(List<String> v) { audiences = v; return this; }
        public Builder scope(String... v) { scope = List.of(v); return this; }
        public Builder scope(List<String> v) { scope = v; return this; }
        public Builder subject(String v) { subject = v; return this; }
        public Builder claim(String name, String format) { claims.put(name, format); return this; }
        public Builder defaultTtl(Duration v) { defaultTtl = v; return this; }
        public Builder maxTtl(Duration v) { maxTtl = v; return this; }
        public Builder allowedJobs(String... v) { allowedJobs = List.of(v); return this; }
        public Builder allowedJobs(List<String> v) { allowedJobs = v; return this; }
        public Builder allowedBranches(String... v) { allowedBranches = List.of(v); return this; }
        public Builder allowedBranches(List<String> v) { allowedBranches = v; return this; }
        public Builder issuers(String... v) { issuers = List.of(v); return this; }
        public Builder issuers(List<String> v) { issuers = v; return this; }
        /** Caps {@code exp} at the run's deadline when one is known. */
        public Builder boundByRun(boolean v) { boundByRun = v; return this; }

        public ScopeTemplate build() {
            return new ScopeTemplate(id, description, audiences, scope, subject, claims, defaultTtl, maxTtl, allowedJobs,
                    allowedBranches, issuers, boundByRun);
        }
    }
}
