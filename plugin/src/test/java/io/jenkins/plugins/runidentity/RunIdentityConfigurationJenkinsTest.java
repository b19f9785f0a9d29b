package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.File;
import jenkins.model.Jenkins;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/** The global configuration page, its validation and who may see what (real build only). */
public class RunIdentityConfigurationJenkinsTest {

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Test
    public void securityPageRoundTripKeepsIssuersAndTemplates() throws Exception {
        TestConfiguration.corpAndDeploy("team/**\nother/*");
        RunIdentityConfiguration config = RunIdentityConfiguration.get();
        IssuerSettings issuerBefore = config.getIssuers().get(0);
        TemplateSettings templateBefore = config.getTemplates().get(0);

        r.submit(r.createWebClient().goTo("configureSecurity/").getFormByName("config"));

        r.assertEqualDataBoundBeans(issuerBefore, config.getIssuers().get(0));
        r.assertEqualDataBoundBeans(templateBefore, config.getTemplates().get(0));
        assertThat(config.getTemplates().get(0).getAllowedJobs()).isEqualTo("team/**\nother/*");
    }

    @Test
    public void savedSettingsApplyToTheRunningEngineWithoutLosingItsSessions() throws Exception {
        TestConfiguration.corpAndDeploy("**");
        var engine = RunIdentityConfiguration.get().engine();
        var keys = engine.keys("corp");
        var session = engine.openSession(io.jenkins.plugins.runidentity.core.MintRequest.of("corp", "deploy"),
                io.jenkins.plugins.runidentity.core.RunFacts.builder("p", 1).build(), "p#1");
        TemplateSettings shorter = new TemplateSettings("deploy");
        shorter.setAudiences("vault");
        shorter.setAllowedJobs("**");
        shorter.setDefaultTtl("2m");
        shorter.setMaxTtl("2m");

        RunIdentityConfiguration.get().setTemplates(java.util.List.of(shorter));

        assertThat(RunIdentityConfiguration.get().engine()).as("the same engine, reconfigured").isSameAs(engine);
        assertThat(engine.keys("corp")).isEqualTo(keys);
        var refreshed = engine.refresh(session.id()); // only the engine that opened a session knows it by id
        assertThat(java.time.Duration.between(refreshed.token().issuedAt(), refreshed.token().expiresAt()))
                .isEqualTo(java.time.Duration.ofMinutes(2));

        RunIdentityConfiguration.get().setTemplates(java.util.List.of()); // no template: still a valid configuration
        TemplateSettings broken = new TemplateSettings("deploy");
        broken.setAudiences("vault");
        broken.setAllowedJobs("**");
        broken.setIssuers("nope");
        RunIdentityConfiguration.get().setTemplates(java.util.List.of(broken));
        assertThat(RunIdentityConfiguration.get().problem()).contains("nope");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunIdentityConfiguration.get().engine())
                .isInstanceOf(hudson.AbortException.class).hasMessageContaining("nope");
    }

    @Test
    public void signingKeysAreStoredEncrypted() throws Exception {
        TestConfiguration.corpAndDeploy("**");
        RunIdentityConfiguration.get().engine(); // generates the first keys
        String xml = Files.readString(new File(r.jenkins.getRootDir(), RunIdentityConfiguration.class.getName() + ".xml").toPath(),
                StandardCharsets.UTF_8);
        assertThat(xml).contains("<signingKeys>").contains("<kid>").doesNotContain("\"d\":").doesNotContain("\"p\":")
                .doesNotContain("\"kty\"");
    }

    @Test
    public void formValidationUsesTheEnginesRulesForAdministratorsOnly() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        IssuerSettings.DescriptorImpl issuers = r.jenkins.getDescriptorByType(IssuerSettings.DescriptorImpl.class);
        TemplateSettings.DescriptorImpl templates = r.jenkins.getDescriptorByType(TemplateSettings.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            assertThat(issuers.doCheckId("Corp").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(issuers.doCheckId("corp").renderHtml()).contains("run-identity/corp");
            assertThat(issuers.doCheckRotationPeriod("10m").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(templates.doCheckClaims("iss=${job}").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(templates.doCheckSubject("job:${nope}").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(templates.doCheckMaxTtl("10m", "48h").kind).isEqualTo(FormValidation.Kind.ERROR);
            assertThat(templates.doCheckAllowedJobs("team/**").kind).isEqualTo(FormValidation.Kind.OK);
            assertThat(issuers.doFillAlgorithmItems()).hasSize(2);
        }
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThat(issuers.doCheckId("corp").renderHtml()).doesNotContain("run-identity/corp");
            assertThat(issuers.doFillAlgorithmItems()).isEmpty();
        }
    }

    @Test
    public void adminPagesRefuseAnonymousAndReaders() throws Exception {
        TestConfiguration.corpAndDeploy("**");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().toEveryone());

        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.assertFails("manage/run-identity-audit/", 403);
        anonymous.assertFails("configureSecurity/", 403);
        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.assertFails("manage/run-identity-audit/", 403);

        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        String audit = admin.goTo("manage/run-identity-audit/?verify=true").getWebResponse().getContentAsString();
        assertThat(audit).contains("audit log intact");
        // The issuer endpoints stay public: relying parties have no Jenkins account.
        assertThat(anonymous.goTo("run-identity/corp/jwks", "application/json").getWebResponse().getContentAsString())
                .contains("\"keys\"");
    }
}
