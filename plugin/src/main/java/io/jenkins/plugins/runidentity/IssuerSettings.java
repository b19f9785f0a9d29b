package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.DurationFormat;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.SigningAlgorithm;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One issuer as an admin configures it. Its URL is not configurable: it is where this controller serves the
 * issuer's endpoints, {@code ${JENKINS_URL}run-identity/<id>}, so relying parties can always reach them.
 */
public final class IssuerSettings implements Describable<IssuerSettings> {

    private final String id;
    private String algorithm = SigningAlgorithm.RS256.name();
    private String rotationPeriod = DurationFormat.format(IssuerConfig.DEFAULT_ROTATION);

    @DataBoundConstructor
    public IssuerSettings(String id) {
        this.id = id == null ? null : id.trim();
    }

    public String getId() {
        return id;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    @DataBoundSetter
    public void setAlgorithm(String algorithm) {
        this.algorithm = algorithm == null || algorithm.isBlank() ? SigningAlgorithm.RS256.name() : algorithm.trim();
    }

    public String getRotationPeriod() {
        return rotationPeriod;
    }

    @DataBoundSetter
    public void setRotationPeriod(String rotationPeriod) {
        this.rotationPeriod = rotationPeriod == null || rotationPeriod.isBlank()
                ? DurationFormat.format(IssuerConfig.DEFAULT_ROTATION) : rotationPeriod.trim();
    }

    /**
     * The issuer as the engine sees it.
     *
     * @param rootUrl the controller's root URL, ending in {@code /}
     * @throws ConfigurationException if a setting is invalid (the message names it)
     */
    IssuerConfig toConfig(@NonNull String rootUrl) {
        Duration rotation;
        try {
            rotation = DurationFormat.parse(rotationPeriod);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("issuer '" + id + "': rotation period: " + e.getMessage());
        }
        SigningAlgorithm alg;
        try {
            alg = SigningAlgorithm.parse(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("issuer '" + id + "': " + e.getMessage());
        }
        return new IssuerConfig(id, urlFor(rootUrl, id), alg, rotation);
    }

    /** {@code ${JENKINS_URL}run-identity/<id>}; see {@link RunIdentityRootAction}. */
    static String urlFor(@NonNull String rootUrl, String id) {
        String root = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
        return root + RunIdentityRootAction.URL_NAME + "/" + id;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<IssuerSettings> {

        @NonNull
        @Override
        public String getDisplayName() {
            return "Issuer";
        }

        @POST
        public FormValidation doCheckId(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            String rootUrl = RunIdentityConfiguration.rootUrl();
            if (rootUrl == null) {
                return FormValidation.warning("Set the Jenkins URL (Manage Jenkins » System) first; issuer URLs are derived from it.");
            }
            try {
                IssuerConfig issuer = IssuerConfig.of(value == null ? null : value.trim(), urlFor(rootUrl, value == null ? "" : value.trim()));
                return FormValidation.ok("Issuer URL: " + issuer.url());
            } catch (ConfigurationException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckRotationPeriod(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER) || value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                // The engine's own rules: the syntax, and the shortest period it accepts.
                new IssuerConfig("check", "https://example.invalid/check", SigningAlgorithm.RS256, DurationFormat.parse(value));
                return FormValidation.ok();
            } catch (IllegalArgumentException | ConfigurationException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public ListBoxModel doFillAlgorithmItems() {
            ListBoxModel items = new ListBoxModel();
            if (Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                for (SigningAlgorithm a : SigningAlgorithm.values()) {
                    items.add(a.name());
                }
            }
            return items;
        }
    }
}
