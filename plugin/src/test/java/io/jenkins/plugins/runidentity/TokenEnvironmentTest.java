package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.EnvVars;
import hudson.util.Secret;
import org.junit.Test;

public class TokenEnvironmentTest {

    @Test
    public void exposesTheTokenItsFileAndItsFacts() throws Exception {
        TokenEnvironment env = new TokenEnvironment("RUN_IDENTITY_TOKEN", Secret.fromString("t0k3n-value"), "jti-1",
                "2026-12-03T15:00:00Z", "https://jenkins.example/run-identity/corp", "RUN_IDENTITY_TOKEN_FILE", "/tmp/ws@tmp/t.jwt");
        EnvVars vars = new EnvVars();
        env.expand(vars);
        assertThat(vars)
                .containsEntry("RUN_IDENTITY_TOKEN", "t0k3n-value")
                .containsEntry("RUN_IDENTITY_TOKEN_FILE", "/tmp/ws@tmp/t.jwt")
                .containsEntry("RUN_IDENTITY_ID", "jti-1")
                .containsEntry("RUN_IDENTITY_EXPIRES_AT", "2026-12-03T15:00:00Z")
                .containsEntry("RUN_IDENTITY_ISSUER", "https://jenkins.example/run-identity/corp")
                .hasSize(5);
        assertThat(env.getSensitiveVariables()).containsExactly("RUN_IDENTITY_TOKEN");
    }

    @Test
    public void customNamesAndNoFileOutsideANode() throws Exception {
        TokenEnvironment env = new TokenEnvironment("VAULT_JWT", Secret.fromString("t0k3n-value"), "jti-1",
                "2026-12-03T15:00:00Z", "https://jenkins.example/run-identity/corp", "VAULT_JWT_FILE", null);
        EnvVars vars = new EnvVars();
        env.expand(vars);
        assertThat(vars).containsEntry("VAULT_JWT", "t0k3n-value").doesNotContainKey("VAULT_JWT_FILE")
                .doesNotContainKey("RUN_IDENTITY_TOKEN");
        assertThat(env.getSensitiveVariables()).containsExactly("VAULT_JWT");
    }

    @Test
    public void serializedFormHoldsTheTokenOnlyInsideASecret() throws Exception {
        TokenEnvironment env = new TokenEnvironment("RUN_IDENTITY_TOKEN", Secret.fromString("t0k3n-value-long-enough"),
                "jti-1", "2026-12-03T15:00:00Z", "https://jenkins.example/run-identity/corp", "F", "/f");
        assertThat(ProgramState.serialize(env)).doesNotContain("t0k3n-value").contains("jti-1");
    }
}
