package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.DurationFormat;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One scope template as an admin configures it. Lists are text (one entry per line, or separated by spaces
 * where entries cannot contain spaces) so the form and Configuration as Code stay simple; the engine
 * validates the result.
 */
public final class TemplateSettings implements Describable<TemplateSettings> {

    private final String id;
    private String description = "";
    private String audiences = "";
    private String scope = "";
    private String subject = ScopeTemplate.DEFAULT_SUBJECT;
    private String claims = "";
    private String defaultTtl = DurationFormat.format(ScopeTemplate.DEFAULT_TTL);
    private String maxTtl = DurationFormat.format(ScopeTemplate.DEFAULT_MAX_TTL);
    private String allowedJobs = "";
    private String allowedBranches = "";
    private String issuers = "";
    private boolean boundByRun;

    @DataBoundConstructor
    public TemplateSettings(String id) {
        this.id = id == null ? null : id.trim();
    }

    public String getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(String description) {
        this.description = text(description);
    }

    /** Audiences separated by spaces or lines. */
    public String getAudiences() {
        return audiences;
    }

    @DataBoundSetter
    public void setAudiences(String audiences) {
        this.audiences = text(audiences);
    }

    /** Scope values separated by spaces. */
    public String getScope() {
        return scope;
    }

    @DataBoundSetter
    public void setScope(String scope) {
        this.scope = text(scope);
    }

    public String getSubject() {
        return subject;
    }

    @DataBoundSetter
    public void setSubject(String subject) {
        this.subject = subject == null || subject.isBlank() ? ScopeTemplate.DEFAULT_SUBJECT : subject.trim();
    }

    /** One {@code name=format} per line. */
    public String getClaims() {
        return claims;
    }

    @DataBoundSetter
    public void setClaims(String claims) {
        this.claims = text(claims);
    }

    public String getDefaultTtl() {
        return defaultTtl;
    }

    @DataBoundSetter
    public void setDefaultTtl(String defaultTtl) {
        this.defaultTtl = text(defaultTtl);
    }

    public String getMaxTtl() {
        return maxTtl;
    }

    @DataBoundSetter
    public void setMaxTtl(String maxTtl) {
        this.maxTtl = text(maxTtl);
    }

    /** Globs over job full names, one per line (job names may contain spaces). */
    public String getAllowedJobs() {
        return allowedJobs;
    }

    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = text(allowedJobs);
    }

    /** Globs over branch names, one per line; empty for no restriction. */
    public String getAllowedBranches() {
        return allowedBranches;
    }

    @DataBoundSetter
    public void setAllowedBranches(String allowedBranches) {
        this.allowedBranches = text(allowedBranches);
    }

    /** Issuer ids separated by spaces or commas; empty for every issuer. */
    public String getIssuers() {
        return issuers;
    }

    @DataBoundSetter
    public void setIssuers(String issuers) {
        this.issuers = text(issuers);
    }

    public boolean isBoundByRun() {
        return boundByRun;
    }

    /** Cap a token's expiry at the run's deadline when one is known (the same setting as the command's). */
    @DataBoundSetter
    public void setBoundByRun(boolean boundByRun) {
        this.boundByRun = boundByRun;
    }

    /**
     * The template as the engine sees it.
     *
     * @throws ConfigurationException if a setting is invalid (the message names the template and the setting)
     */
    ScopeTemplate toTemplate() {
        ScopeTemplate.Builder b = ScopeTemplate.builder(id)
                .description(description)
                .audiences(words(audiences))
                .scope(words(scope))
                .subject(subject)
                .defaultTtl(duration("default ttl", defaultTtl))
                .maxTtl(duration("maximum ttl", maxTtl))
                .allowedJobs(lines(allowedJobs))
                .allowedBranches(lines(allowedBranches))
                .issuers(words(issuers))
                .boundByRun(boundByRun);
        claims(id, claims).forEach(b::claim);
        return b.build();
    }

    private Duration duration(String what, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return DurationFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("template '" + id + "': " + what + ": " + e.getMessage());
        }
    }

    /** Trimmed, with the line ends browsers submit ({@code \r\n}) made plain. */
    private static String text(String s) {
        return s == null ? "" : s.replace("\r\n", "\n").replace('\r', '\n').trim();
    }

    static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("[\\s,]+"));
    }

    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String line : s.split("\\R")) {
                if (!line.isBlank()) {
                    out.add(line.trim());
                }
            }
        }
        return out;
    }

    static Map<String, String> claims(String template, String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(s)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("template '" + template + "': claim line '" + line
                        + "' is not of the form name=format, e.g. repository=${job}");
            }
            out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return out;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<TemplateSettings> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Scope template";
        }

        /** The subject format a new template starts with. */
        public String getDefaultSubject() {
            return ScopeTemplate.DEFAULT_SUBJECT;
        }

        @POST
        public FormValidation doCheckId(@QueryParameter String value) {
            return check(b -> b.id = value);
        }

        @POST
        public FormValidation doCheckAudiences(@QueryParameter String value) {
            return check(b -> b.audiences = value);
        }

        @POST
        public FormValidation doCheckScope(@QueryParameter String value) {
            return check(b -> b.scope = text(value));
        }

        @POST
        public FormValidation doCheckSubject(@QueryParameter String value) {
            return check(b -> b.setSubject(value));
        }

        @POST
        public FormValidation doCheckClaims(@QueryParameter String value) {
            return check(b -> b.claims = text(value));
        }

        @POST
        public FormValidation doCheckMaxTtl(@QueryParameter String defaultTtl, @QueryParameter String value) {
            return check(b -> {
                b.defaultTtl = text(defaultTtl);
                b.maxTtl = text(value);
            });
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            return check(b -> b.allowedJobs = text(value));
        }

        @POST
        public FormValidation doCheckAllowedBranches(@QueryParameter String value) {
            return check(b -> b.allowedBranches = text(value));
        }

        /** Builds a template that is valid except for the field being checked, so the engine's message is about that field. */
        private static FormValidation check(Consumer<Probe> field) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            Probe probe = new Probe();
            field.accept(probe);
            try {
                probe.toSettings().toTemplate();
                return FormValidation.ok();
            } catch (ConfigurationException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }

    /** A template that the engine accepts, for checking one field at a time. */
    private static final class Probe {
        String id = "template";
        String audiences = "audience";
        String scope = "";
        String subject;
        String claims = "";
        String defaultTtl = "";
        String maxTtl = "";
        String allowedJobs = "**";
        String allowedBranches = "";

        void setSubject(String s) {
            subject = s;
        }

        TemplateSettings toSettings() {
            TemplateSettings t = new TemplateSettings(id);
            t.setAudiences(audiences);
            t.setScope(scope);
            t.setSubject(subject);
            t.setClaims(claims);
            t.setDefaultTtl(defaultTtl);
            t.setMaxTtl(maxTtl);
            t.setAllowedJobs(allowedJobs);
            t.setAllowedBranches(allowedBranches);
            return t;
        }
    }
}
