package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.util.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The variables the body of {@code withRunIdentity} sees. Only the token is sensitive; it is kept as a
 * {@link Secret} because this object is saved with the Pipeline's program state.
 */
final class TokenEnvironment extends EnvironmentExpander {
    private static final long serialVersionUID = 1L;

    static final String ID = "RUN_IDENTITY_ID";
    static final String EXPIRES_AT = "RUN_IDENTITY_EXPIRES_AT";
    static final String ISSUER = "RUN_IDENTITY_ISSUER";

    private final String tokenVariable;
    private final Secret token;
    private final Map<String, String> plain;

    /**
     * @param tokenVariable name of the variable holding the token
     * @param token         the serialized token
     * @param fileVariable  name of the variable holding the token file's path, or null when there is no file
     * @param file          the token file's path on the agent, or null
     */
    TokenEnvironment(@NonNull String tokenVariable, @NonNull Secret token, @NonNull String jti,
                     @NonNull String expiresAt, @NonNull String issuerUrl,
                     @CheckForNull String fileVariable, @CheckForNull String file) {
        this.tokenVariable = tokenVariable;
        this.token = token;
        Map<String, String> p = new LinkedHashMap<>();
        p.put(ID, jti);
        p.put(EXPIRES_AT, expiresAt);
        p.put(ISSUER, issuerUrl);
        if (fileVariable != null && file != null) {
            p.put(fileVariable, file);
        }
        this.plain = Collections.unmodifiableMap(p);
    }

    @Override
    public void expand(@NonNull EnvVars env) {
        plain.forEach(env::override);
        env.override(tokenVariable, token.getPlainText());
    }

    @NonNull
    @Override
    public Set<String> getSensitiveVariables() {
        return Set.of(tokenVariable);
    }
}
