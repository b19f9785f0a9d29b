package io.jenkins.plugins.runidentity;

import java.util.List;

/** The configuration the JenkinsRule tests start from: issuer {@code corp}, template {@code deploy}. */
final class TestConfiguration {
    private TestConfiguration() {}

    static void corpAndDeploy(String allowedJobs) {
        IssuerSettings corp = new IssuerSettings("corp");
        TemplateSettings deploy = new TemplateSettings("deploy");
        deploy.setDescription("Deploy to staging");
        deploy.setAudiences("vault https://sts.example.com");
        deploy.setScope("deploy read");
        deploy.setAllowedJobs(allowedJobs);
        deploy.setClaims("repository=${job}");
        RunIdentityConfiguration config = RunIdentityConfiguration.get();
        config.setIssuers(List.of(corp));
        config.setTemplates(List.of(deploy));
    }
}
