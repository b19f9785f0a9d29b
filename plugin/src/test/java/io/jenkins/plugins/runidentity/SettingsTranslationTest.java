package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import hudson.model.Cause;
import hudson.model.Computer;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.SigningAlgorithm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import org.junit.Test;

/** The plugin's forms and models translated into the engine's values; the engine's own rules are tested in core. */
public class SettingsTranslationTest {

    @Test
    public void templateTextBecomesTheEnginesTemplate() {
        TemplateSettings s = new TemplateSettings(" deploy ");
        s.setDescription("Deploy to staging");
        s.setAudiences("vault\nhttps://sts.example.com");
        s.setScope("deploy:staging  read");
        s.setAllowedJobs("team a/**\n\n  team-b/deploy  \n");
        s.setClaims("repository=${job}\nbuild = ${build_number}");
        s.setDefaultTtl("5m");
        s.setMaxTtl("30m");
        s.setIssuers("corp, other");
        s.setBoundByRun(true);

        ScopeTemplate t = s.toTemplate();

        assertThat(t.id()).isEqualTo("deploy");
        assertThat(t.description()).isEqualTo("Deploy to staging");
        assertThat(t.audiences()).containsExactly("vault", "https://sts.example.com");
        assertThat(t.scope()).containsExactly("deploy:staging", "read");
        assertThat(t.allowedJobs()).containsExactly("team a/**", "team-b/deploy");
        assertThat(t.claims()).containsExactly(Map.entry("repository", "${job}"), Map.entry("build", "${build_number}"));
        assertThat(t.defaultTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.maxTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(t.issuers()).containsExactly("corp", "other");
        assertThat(t.subject()).isEqualTo(ScopeTemplate.DEFAULT_SUBJECT);
        assertThat(t.boundByRun()).isTrue();
    }

    @Test
    public void badTemplateSettingsGetTheEnginesMessage() {
        TemplateSettings s = new TemplateSettings("deploy");
        s.setAudiences("vault");
        s.setAllowedJobs("**");
        s.setClaims("no equals sign here");
        assertThatThrownBy(s::toTemplate).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("template 'deploy'").hasMessageContaining("name=format");

        s.setClaims("iss=${job}");
        assertThatThrownBy(s::toTemplate).isInstanceOf(ConfigurationException.class).hasMessageContaining("reserved");

        s.setClaims("");
        s.setMaxTtl("forever");
        assertThatThrownBy(s::toTemplate).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maximum ttl").hasMessageContaining("forever");
    }

    @Test
    public void issuerUrlIsDerivedFromTheRootUrl() {
        IssuerSettings s = new IssuerSettings("corp");
        s.setAlgorithm("ES256");
        s.setRotationPeriod("7d");
        IssuerConfig c = s.toConfig("https://ci.example.com/jenkins/");
        assertThat(c.url()).isEqualTo("https://ci.example.com/jenkins/run-identity/corp");
        assertThat(c.algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(c.rotationPeriod()).isEqualTo(Duration.ofDays(7));

        assertThatThrownBy(() -> new IssuerSettings("corp").toConfig("http://ci.example.com/"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> new IssuerSettings("Corp").toConfig("https://ci.example.com/"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not valid");
    }

    @Test
    public void endpointPathsAreSeenAsInTheIssuerUrl() {
        assertThat(RunIdentityRootAction.issuerPath("https://ci.example.com/jenkins/", "/corp/jwks"))
                .isEqualTo("/jenkins/run-identity/corp/jwks");
        assertThat(RunIdentityRootAction.issuerPath("https://ci.example.com/", "/corp/.well-known/openid-configuration"))
                .isEqualTo("/run-identity/corp/.well-known/openid-configuration");
        assertThat(IssuerConfig.of("corp", IssuerSettings.urlFor("https://ci.example.com/jenkins/", "corp")).path())
                .isEqualTo("/jenkins/run-identity/corp");
    }

    @Test
    public void endpointRequestBodiesAreReadToOneByteOverTheLimit() throws Exception {
        byte[] big = new byte[io.jenkins.plugins.runidentity.core.IssuerEndpoints.MAX_BODY_BYTES + 100];
        assertThat(RunIdentityRootAction.readBody(new java.io.ByteArrayInputStream(big)))
                .hasSize(io.jenkins.plugins.runidentity.core.IssuerEndpoints.MAX_BODY_BYTES + 1);
        assertThat(RunIdentityRootAction.readBody(null)).isEmpty();
        assertThat(new String(RunIdentityRootAction.formFromParameters(Map.of("token", new String[] {"a b&c=d"})),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("token=a+b%26c%3Dd");
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void runFactsComeFromTheJenkinsModel() {
        Job job = mock(Job.class);
        when(job.getFullName()).thenReturn("team/app");
        Run run = mock(Run.class);
        when(run.getParent()).thenReturn(job);
        when(run.getNumber()).thenReturn(42);
        when(run.getExternalizableId()).thenReturn("team/app#42");
        when(run.getUrl()).thenReturn("job/team/job/app/42/");
        Cause.UserIdCause byAlice = mock(Cause.UserIdCause.class);
        when(byAlice.getUserId()).thenReturn("alice");
        when(run.getCauses()).thenReturn(List.of(byAlice));
        Computer agent = mock(Computer.class);
        when(agent.getName()).thenReturn("linux-1");

        RunFacts f = JenkinsRunFacts.of(run, agent, "https://ci.example.com/", null, null);

        assertThat(f.job()).isEqualTo("team/app");
        assertThat(f.buildNumber()).isEqualTo(42);
        assertThat(f.runId()).isEqualTo("team/app#42");
        assertThat(f.buildUrl()).isEqualTo("https://ci.example.com/job/team/job/app/42/");
        assertThat(f.node()).isEqualTo("linux-1");
        assertThat(f.cause()).isEqualTo("user:alice");
        assertThat(f.controller()).isEqualTo("https://ci.example.com/");
        assertThat(f.branch()).isNull();
        assertThat(f.change()).isNull();
        assertThat(f.deadline()).isNull();
        java.time.Instant end = java.time.Instant.parse("2026-12-03T18:00:00.750Z");
        assertThat(JenkinsRunFacts.of(run, agent, "https://ci.example.com/", null, end).deadline())
                .as("whole seconds, never rounded up").isEqualTo(java.time.Instant.parse("2026-12-03T18:00:00Z"));

        SCMHead main = mock(SCMHead.class);
        when(main.getName()).thenReturn("main");
        assertThat(JenkinsRunFacts.of(run, null, null, main, null)).satisfies(b -> {
            assertThat(b.branch()).isEqualTo("main");
            assertThat(b.change()).isNull();
            assertThat(b.node()).isNull();
            assertThat(b.buildUrl()).isNull();
        });

        SCMHead pr = mock(SCMHead.class, withSettings().extraInterfaces(ChangeRequestSCMHead.class));
        when(pr.getName()).thenReturn("PR-42");
        when(((ChangeRequestSCMHead) pr).getId()).thenReturn("42");
        assertThat(JenkinsRunFacts.of(run, null, null, pr, null)).satisfies(c -> {
            assertThat(c.branch()).isEqualTo("PR-42");
            assertThat(c.change()).isEqualTo("42");
        });
    }
}
