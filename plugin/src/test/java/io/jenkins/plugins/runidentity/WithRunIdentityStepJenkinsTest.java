package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.Assume.assumeFalse;

import hudson.Functions;
import hudson.model.Result;
import io.jenkins.plugins.runidentity.core.IdentityRecord;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** The step in real Pipelines (real build only: needs Jenkins). */
public class WithRunIdentityStepJenkinsTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule r = new JenkinsRule();

    @Before
    public void configure() {
        TestConfiguration.corpAndDeploy("team/**\np");
    }

    private WorkflowJob pipeline(String name, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private List<IdentityRecord> identities(WorkflowRun b) throws Exception {
        return RunIdentityConfiguration.get().engine().identitiesOf(b.getParent().getFullName(), b.getNumber());
    }

    /** The token the block saw, copied into the workspace by the script (never into the build directory). */
    private String copiedToken(WorkflowJob p) throws Exception {
        return r.jenkins.getWorkspaceFor(p).child("token.jwt").readToString().trim();
    }

    private static void assertNotInBuildDirectory(WorkflowRun b, String... secrets) throws IOException {
        try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s", f).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    public void tokenWorksInShIsMaskedAndIsRevokedAfterTheBlock() throws Exception {
        assumeFalse("uses sh", Functions.isWindows());
        WorkflowJob p = pipeline("p", """
                node {
                  withRunIdentity(issuer: 'corp', template: 'deploy', audience: 'vault') {
                    sh 'echo "token=$RUN_IDENTITY_TOKEN"'
                    sh 'printf %s "$RUN_IDENTITY_TOKEN" | base64 | tr -d "\\n"; echo'
                    sh 'test "$(stat -c %a "$RUN_IDENTITY_TOKEN_FILE")" = 600 && echo file-is-private'
                    sh 'test "$(cat "$RUN_IDENTITY_TOKEN_FILE")" = "$RUN_IDENTITY_TOKEN" && echo file-holds-token'
                    sh 'echo "$RUN_IDENTITY_TOKEN_FILE" > path.txt; cp "$RUN_IDENTITY_TOKEN_FILE" token.jwt'
                    sh 'echo "id=$RUN_IDENTITY_ID issuer=$RUN_IDENTITY_ISSUER expires=$RUN_IDENTITY_EXPIRES_AT"'
                  }
                  sh 'test ! -e "$(cat path.txt)" && echo file-removed'
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        String token = copiedToken(p);
        String base64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));

        r.assertLogContains("token=****", b);
        r.assertLogContains("file-is-private", b);
        r.assertLogContains("file-holds-token", b);
        r.assertLogContains("file-removed", b);
        r.assertLogNotContains(token, b);
        r.assertLogNotContains(base64.substring(4, base64.length() - 4), b);
        IdentityRecord id = identities(b).get(0);
        r.assertLogContains("id=" + id.jti() + " issuer=" + r.getURL() + "run-identity/corp", b);
        assertThat(id.audience()).containsExactly("vault");
        assertThat(id.subject()).isEqualTo("job:p");
        assertThat(id.reason()).isEqualTo("block-completed");
        assertThat(RunIdentityConfiguration.get().engine().introspect("corp", token)).isEmpty();
        assertNotInBuildDirectory(b, token, base64.substring(4, base64.length() - 4));
    }

    @Test
    public void buildPageListsTheIdentityButNeverTheToken() throws Exception {
        assumeFalse("uses sh", Functions.isWindows());
        WorkflowJob p = pipeline("p", """
                node {
                  withRunIdentity(issuer: 'corp', template: 'deploy') {
                    sh 'cp "$RUN_IDENTITY_TOKEN_FILE" token.jwt'
                  }
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        String token = copiedToken(p);
        String jti = identities(b).get(0).jti();
        JenkinsRule.WebClient wc = r.createWebClient();
        String summary = wc.getPage(b).getWebResponse().getContentAsString();
        assertThat(summary).contains("Run identities").contains("job:p").doesNotContain(token);
        String page = wc.getPage(b, "run-identity/").getWebResponse().getContentAsString();
        assertThat(page).contains(jti).contains("block-completed").contains("revoked").doesNotContain(token);
        assertThat(b.getAction(RunIdentityAction.class)).isNotNull();
    }

    @Test
    public void failingBlockIsRevokedAsBlockFailed() throws Exception {
        WorkflowJob p = pipeline("p", """
                withRunIdentity(issuer: 'corp', template: 'deploy') {
                  error 'deploy went wrong'
                }
                """);
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("deploy went wrong", b);
        assertThat(identities(b)).singleElement().extracting(IdentityRecord::reason).isEqualTo("block-failed");
    }

    @Test
    public void abortedBuildIsRevokedAsAborted() throws Exception {
        WorkflowJob p = pipeline("p", """
                withRunIdentity(issuer: 'corp', template: 'deploy') {
                  semaphore 'wait'
                }
                """);
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        assertThat(identities(b)).singleElement().extracting(IdentityRecord::revokedAt).isNull();
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        assertThat(identities(b)).singleElement().extracting(IdentityRecord::reason).isEqualTo("aborted");
    }

    @Test
    public void blockStoppedByAnEnclosingTimeoutIsRevokedAsTimedOut() throws Exception {
        WorkflowJob p = pipeline("p", """
                timeout(time: 3, unit: 'SECONDS') {
                  withRunIdentity(issuer: 'corp', template: 'deploy') {
                    semaphore 'wait'
                  }
                }
                """);
        WorkflowRun b = r.buildAndAssertStatus(Result.ABORTED, p);
        assertThat(identities(b)).singleElement().extracting(IdentityRecord::reason).isEqualTo("timed-out");
    }

    @Test
    public void sessionLeftOpenIsClosedWhenTheRunIsFinalized() throws Exception {
        WorkflowJob p = pipeline("p", "semaphore 'wait'");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("wait/1", b);
        // As if a block had opened a session and never reached its cleanup.
        RunIdentityConfiguration.get().engine().openSession(MintRequest.of("corp", "deploy"),
                RunFacts.builder("p", 1).runId("p#1").build(), "p#1");
        SemaphoreStep.success("wait/1", null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        long deadline = System.currentTimeMillis() + 30_000;
        while (identities(b).get(0).reason() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(100); // onFinalized runs once the log is closed, just after completion
        }
        assertThat(identities(b)).singleElement().extracting(IdentityRecord::reason).isEqualTo("run-finished");
    }

    @Test
    public void unknownTemplateFailsWithOneClearLine() throws Exception {
        WorkflowJob p = pipeline("p", """
                withRunIdentity(issuer: 'corp', template: 'nope') {
                  echo 'inside the block'
                }
                """);
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("withRunIdentity: ", b);
        r.assertLogContains("nope", b);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b); // no stack trace
        assertThat(identities(b)).isEmpty();
    }

    @Test
    public void jobTheTemplateDoesNotAllowFailsWithOneClearLine() throws Exception {
        WorkflowJob p = pipeline("not-allowed", """
                withRunIdentity(issuer: 'corp', template: 'deploy') {
                  echo 'inside the block'
                }
                """);
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("withRunIdentity: ", b);
        r.assertLogContains("not-allowed", b);
        r.assertLogNotContains("inside the block", b);
        r.assertLogNotContains("\tat ", b);
        assertThat(RunIdentityConfiguration.get().engine().auditRecords(rec -> "denied".equals(rec.type()))).hasSize(1);
    }

    @Test
    public void groovyInterpolationOfTheTokenIsFlagged() throws Exception {
        WorkflowJob p = pipeline("p", """
                withRunIdentity(issuer: 'corp', template: 'deploy') {
                  echo "the wrong way: ${env.RUN_IDENTITY_TOKEN}"
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("Warning: A secret was passed to \"echo\" using Groovy String interpolation, which is insecure.", b);
        r.assertLogContains("[RUN_IDENTITY_TOKEN]", b);
        r.assertLogContains("the wrong way: ****", b);
    }

    @Test
    public void snippetGeneratorRoundTrip() throws Exception {
        WithRunIdentityStep step = new WithRunIdentityStep("corp", "deploy");
        step.setAudience("vault");
        step.setScope("deploy");
        step.setTtl("5m");
        step.setTokenVariable("VAULT_JWT");
        step.setFileVariable("VAULT_JWT_FILE");
        step.setRefresh(false);
        r.assertEqualDataBoundBeans(step, new StepConfigTester(r).configRoundTrip(step));
        WithRunIdentityStep defaults = new WithRunIdentityStep("corp", "deploy");
        r.assertEqualDataBoundBeans(defaults, new StepConfigTester(r).configRoundTrip(defaults));
        assertThat(new StepConfigTester(r).configRoundTrip(defaults).isRefresh()).isTrue();
    }

    @Test
    public void tokenFileIsRefreshedWhileTheBlockRunsAndEveryTokenIsMaskedAndRevoked() throws Exception {
        assumeFalse("uses sh", Functions.isWindows());
        WorkflowJob p = pipeline("p", """
                node {
                  withRunIdentity(issuer: 'corp', template: 'deploy', ttl: '4s') {
                    sh 'cp "$RUN_IDENTITY_TOKEN_FILE" first.jwt'
                    sh 'sleep 7'
                    sh 'cp "$RUN_IDENTITY_TOKEN_FILE" later.jwt; echo "now=$(cat "$RUN_IDENTITY_TOKEN_FILE")"'
                    sh 'test "$(stat -c %a "$RUN_IDENTITY_TOKEN_FILE")" = 600 && echo still-private'
                    sh 'cat "$RUN_IDENTITY_TOKEN_FILE" | base64 -w0; echo'
                  }
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        String first = r.jenkins.getWorkspaceFor(p).child("first.jwt").readToString().trim();
        String later = r.jenkins.getWorkspaceFor(p).child("later.jwt").readToString().trim();
        assertThat(later).isNotEqualTo(first);
        r.assertLogContains("now=****", b);
        r.assertLogContains("still-private", b);
        r.assertLogContains(" in $RUN_IDENTITY_TOKEN_FILE, expires ", b);
        String laterBase64 = Base64.getEncoder().encodeToString(later.getBytes(StandardCharsets.UTF_8));
        r.assertLogNotContains(later, b);
        r.assertLogNotContains(laterBase64.substring(4, laterBase64.length() - 4), b);
        assertThat(identities(b)).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(id -> assertThat(id.reason()).isEqualTo("block-completed"));
        assertThat(RunIdentityConfiguration.get().engine().introspect("corp", first)).isEmpty();
        assertThat(RunIdentityConfiguration.get().engine().introspect("corp", later)).isEmpty();
        assertNotInBuildDirectory(b, first, later, laterBase64.substring(4, laterBase64.length() - 4));
    }

    /** Adds template {@code bounded}: a 1 h lifetime, capped at the run's deadline. */
    private static void addBoundedTemplate() {
        TemplateSettings bounded = new TemplateSettings("bounded");
        bounded.setAudiences("vault");
        bounded.setAllowedJobs("**");
        bounded.setDefaultTtl("1h");
        bounded.setMaxTtl("1h");
        bounded.setBoundByRun(true);
        List<TemplateSettings> templates = new java.util.ArrayList<>(RunIdentityConfiguration.get().getTemplates());
        templates.add(bounded);
        RunIdentityConfiguration.get().setTemplates(templates);
    }

    @Test
    public void insideATimeoutABoundTemplateExpiresWithTheTimeout() throws Exception {
        addBoundedTemplate();
        WorkflowJob p = pipeline("p", """
                timeout(time: 2, unit: 'MINUTES') {
                  withRunIdentity(issuer: 'corp', template: 'bounded') {
                    echo "expires=${env.RUN_IDENTITY_EXPIRES_AT}"
                  }
                }
                """);
        long before = System.currentTimeMillis();
        WorkflowRun b = r.buildAndAssertSuccess(p);
        IdentityRecord id = identities(b).get(0);
        // the timeout started after `before`, so its deadline is at most before + 2 min; the template alone gives 1 h
        assertThat(id.expiresAt()).isBeforeOrEqualTo(java.time.Instant.ofEpochMilli(before).plus(java.time.Duration.ofMinutes(2)).plusSeconds(1));
        assertThat(java.time.Duration.between(id.issuedAt(), id.expiresAt())).isLessThanOrEqualTo(java.time.Duration.ofMinutes(2))
                .isGreaterThan(java.time.Duration.ofMinutes(1));
        r.assertLogContains("expires=" + id.expiresAt(), b);
    }

    @Test
    public void activityTimeoutsAndUnboundTemplatesKeepTheirLifetime() throws Exception {
        addBoundedTemplate();
        WorkflowJob p = pipeline("p", """
                timeout(time: 2, unit: 'MINUTES', activity: true) {
                  withRunIdentity(issuer: 'corp', template: 'bounded') {
                    echo 'inside an activity timeout'
                  }
                }
                timeout(time: 2, unit: 'MINUTES') {
                  withRunIdentity(issuer: 'corp', template: 'deploy', ttl: '30m') {
                    echo 'unbound template'
                  }
                }
                withRunIdentity(issuer: 'corp', template: 'bounded') {
                  echo 'no timeout'
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        List<IdentityRecord> ids = identities(b);
        assertThat(ids).hasSize(3);
        assertThat(java.time.Duration.between(ids.get(0).issuedAt(), ids.get(0).expiresAt())).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(java.time.Duration.between(ids.get(1).issuedAt(), ids.get(1).expiresAt())).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(java.time.Duration.between(ids.get(2).issuedAt(), ids.get(2).expiresAt())).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    public void nestedTimeoutsTheEarliestDeadlineCounts() throws Exception {
        addBoundedTemplate();
        WorkflowJob p = pipeline("p", """
                timeout(time: 3, unit: 'MINUTES') {
                  timeout(time: 2, unit: 'HOURS') {
                    withRunIdentity(issuer: 'corp', template: 'bounded') {
                      echo 'nested'
                    }
                  }
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        IdentityRecord id = identities(b).get(0);
        assertThat(java.time.Duration.between(id.issuedAt(), id.expiresAt())).isLessThanOrEqualTo(java.time.Duration.ofMinutes(3))
                .isGreaterThan(java.time.Duration.ofMinutes(2));
    }

    @Test
    public void refreshFalseKeepsTheFirstToken() throws Exception {
        assumeFalse("uses sh", Functions.isWindows());
        WorkflowJob p = pipeline("p", """
                node {
                  withRunIdentity(issuer: 'corp', template: 'deploy', ttl: '3s', refresh: false) {
                    sh 'cp "$RUN_IDENTITY_TOKEN_FILE" first.jwt; sleep 5; cmp "$RUN_IDENTITY_TOKEN_FILE" first.jwt && echo unchanged'
                  }
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("unchanged", b);
        assertThat(identities(b)).hasSize(1);
    }

    @Test
    public void outsideANodeThereIsNoTokenFile() throws Exception {
        WorkflowJob p = pipeline("p", """
                withRunIdentity(issuer: 'corp', template: 'deploy') {
                  echo "file=${env.RUN_IDENTITY_TOKEN_FILE} id=${env.RUN_IDENTITY_ID}"
                }
                """);
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("file=null id=" + identities(b).get(0).jti(), b);
        r.assertLogContains("no token file: not inside a node block", b);
    }
}
