package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.runidentity.core.DurationFormat;
import io.jenkins.plugins.runidentity.core.MintRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withRunIdentity(issuer: 'corp', template: 'deploy') { … }}: mints an identity for this run, exposes
 * it to the block, and revokes it when the block ends. The optional arguments may only narrow what the
 * template grants; the engine decides.
 */
public final class WithRunIdentityStep extends Step {

    static final String DEFAULT_TOKEN_VARIABLE = "RUN_IDENTITY_TOKEN";
    static final String DEFAULT_FILE_VARIABLE = "RUN_IDENTITY_TOKEN_FILE";
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> FIXED_VARIABLES =
            Set.of(TokenEnvironment.ID, TokenEnvironment.EXPIRES_AT, TokenEnvironment.ISSUER);

    private String issuer;
    private final String template;
    private String audience;
    private String scope;
    private String ttl;
    private String tokenVariable = DEFAULT_TOKEN_VARIABLE;
    private String fileVariable = DEFAULT_FILE_VARIABLE;
    private boolean refresh = true;

    /** @param template scope template id */
    @DataBoundConstructor
    public WithRunIdentityStep(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("withRunIdentity needs a template, e.g. withRunIdentity(issuer: 'corp', template: 'deploy') { … }");
        }
        this.template = template.trim();
    }

    /** The usual form from Java: {@code new WithRunIdentityStep("corp", "deploy")}. */
    public WithRunIdentityStep(String issuer, String template) {
        this(template);
        setIssuer(issuer);
    }

    public String getIssuer() {
        return issuer;
    }

    /** Issuer id; empty for the only issuer the template allows. */
    @DataBoundSetter
    public void setIssuer(String issuer) {
        this.issuer = emptyToNull(issuer);
    }

    public String getTemplate() {
        return template;
    }

    public String getAudience() {
        return audience;
    }

    /** One of the template's audiences; empty for all of them. */
    @DataBoundSetter
    public void setAudience(String audience) {
        this.audience = emptyToNull(audience);
    }

    public String getScope() {
        return scope;
    }

    /** A space-separated subset of the template's scope; empty for all of it. */
    @DataBoundSetter
    public void setScope(String scope) {
        this.scope = emptyToNull(scope);
    }

    public String getTtl() {
        return ttl;
    }

    /** A lifetime such as {@code 10m}; empty for the template's default. The template's maximum is checked at mint time. */
    @DataBoundSetter
    public void setTtl(String ttl) {
        String t = emptyToNull(ttl);
        if (t != null) {
            DurationFormat.parse(t); // the message names the bad text and the accepted forms
        }
        this.ttl = t;
    }

    public String getTokenVariable() {
        return tokenVariable;
    }

    @DataBoundSetter
    public void setTokenVariable(String tokenVariable) {
        this.tokenVariable = checkVariable("tokenVariable", tokenVariable, DEFAULT_TOKEN_VARIABLE);
        checkDistinct();
    }

    public String getFileVariable() {
        return fileVariable;
    }

    @DataBoundSetter
    public void setFileVariable(String fileVariable) {
        this.fileVariable = checkVariable("fileVariable", fileVariable, DEFAULT_FILE_VARIABLE);
        checkDistinct();
    }

    public boolean isRefresh() {
        return refresh;
    }

    /** Whether the token file gets a fresh token at 80 % of each token's lifetime while the block runs; default true. */
    @DataBoundSetter
    public void setRefresh(boolean refresh) {
        this.refresh = refresh;
    }

    MintRequest toRequest() {
        return new MintRequest(issuer, template, audience, scope, ttl);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new WithRunIdentityExecution(this, context, JenkinsController.INSTANCE);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String checkVariable(String argument, String value, String dflt) {
        String v = emptyToNull(value);
        if (v == null) {
            return dflt;
        }
        if (!VARIABLE_NAME.matcher(v).matches()) {
            throw new IllegalArgumentException(argument + ": '" + v + "' is not a valid environment variable name;"
                    + " use letters, digits and '_', not starting with a digit");
        }
        if (FIXED_VARIABLES.contains(v.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException(argument + ": '" + v + "' is already set by withRunIdentity; choose another name");
        }
        return v;
    }

    private void checkDistinct() {
        if (tokenVariable.equals(fileVariable)) {
            throw new IllegalArgumentException("tokenVariable and fileVariable are both '" + tokenVariable + "'; they must differ");
        }
    }

    @Extension
    @Symbol("withRunIdentity")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "withRunIdentity";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Run the block with a run-scoped identity";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** Shown next to the step in the Pipeline graph: which identity, never a token (there is none in the arguments). */
        @CheckForNull
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object i = namedArgs.get("issuer");
            Object t = namedArgs.get("template");
            if (!(t instanceof String)) {
                return null;
            }
            return i instanceof String && !((String) i).isBlank() ? i + "/" + t : (String) t;
        }

        @POST
        public ListBoxModel doFillIssuerItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            if (canConfigure(item)) {
                items.add("(the only issuer the template allows)", "");
                RunIdentityConfiguration.get().getIssuers().forEach(i -> items.add(i.getId()));
            }
            return items;
        }

        @POST
        public ListBoxModel doFillTemplateItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            if (canConfigure(item)) {
                RunIdentityConfiguration.get().getTemplates().forEach(t -> items.add(t.getId()));
            }
            return items;
        }

        @POST
        public FormValidation doCheckTtl(@AncestorInPath Item item, @QueryParameter String value) {
            if (!canConfigure(item) || value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                DurationFormat.parse(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        private static boolean canConfigure(@CheckForNull Item item) {
            return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
        }
    }
}
