package io.jenkins.plugins.runidentity;

import static io.jenkins.plugins.casc.misc.Util.getSecurityRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.SigningAlgorithm;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** {@code security: runIdentity:} in Configuration as Code, both ways (real build only). */
public class RunIdentityConfigurationAsCodeJenkinsTest {

    @Rule
    public JenkinsConfiguredWithCodeRule r = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void importsIssuersAndTemplates() throws Exception {
        RunIdentityConfiguration config = RunIdentityConfiguration.get();
        assertThat(config.getIssuers()).singleElement().satisfies(i -> {
            assertThat(i.getId()).isEqualTo("corp");
            assertThat(i.getAlgorithm()).isEqualTo("ES256");
            assertThat(i.getRotationPeriod()).isEqualTo("7d");
        });
        assertThat(config.getTemplates()).singleElement().satisfies(t -> {
            assertThat(t.getId()).isEqualTo("deploy");
            assertThat(t.getAllowedJobs()).isEqualTo("team/**\nrelease/*");
            assertThat(t.getClaims()).isEqualTo("repository=${job}");
        });
        // What the engine makes of it.
        ScopeTemplate deploy = config.toEngineConfig().template("deploy").orElseThrow();
        assertThat(deploy.audiences()).containsExactly("vault", "https://sts.example.com");
        assertThat(deploy.maxTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.toEngineConfig().issuer("corp").orElseThrow().algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(config.toEngineConfig().issuer("corp").orElseThrow().url()).isEqualTo(r.getURL() + "run-identity/corp");
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void exportsSettingsButNeverKeys() throws Exception {
        RunIdentityConfiguration.get().engine(); // generates keys, which must stay out of the export
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getSecurityRoot(context).get("runIdentity");
        String exported = toYamlString(node);
        assertThat(exported).contains("corp").contains("deploy").contains("team/**").contains("ES256")
                .doesNotContain("signingKeys").doesNotContain("privateJwk").doesNotContain("kid");
    }
}
