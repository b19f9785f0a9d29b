package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.Assume.assumeFalse;

import hudson.Functions;
import io.jenkins.plugins.runidentity.core.IdentityRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsSessionRule;

/** Restarting the controller in the middle of the block (real build only). */
public class WithRunIdentityRestartJenkinsTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Test
    public void blockSurvivesARestartAndIsRevokedWhenItEnds() throws Throwable {
        assumeFalse("uses sh", Functions.isWindows());
        String[] token = new String[1];
        sessions.then(r -> {
            TestConfiguration.corpAndDeploy("**");
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      withRunIdentity(issuer: 'corp', template: 'deploy') {
                        sh 'cp "$RUN_IDENTITY_TOKEN_FILE" token.jwt'
                        semaphore 'wait'
                        sh 'test "$(cat "$RUN_IDENTITY_TOKEN_FILE")" = "$RUN_IDENTITY_TOKEN" && echo still-usable-after-restart'
                      }
                    }
                    """, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            token[0] = r.jenkins.getWorkspaceFor(p).child("token.jwt").readToString().trim();
            assertThat(RunIdentityConfiguration.get().engine().introspect("corp", token[0])).isPresent();
        });
        sessions.then(r -> {
            WorkflowJob p = r.jenkins.getItemByFullName("p", WorkflowJob.class);
            WorkflowRun b = p.getBuildByNumber(1);
            // The startup sweep left the session of this still-building run open.
            assertThat(RunIdentityConfiguration.get().engine().introspect("corp", token[0])).isPresent();
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("still-usable-after-restart", b);
            r.assertLogNotContains(token[0], b);
            assertThat(RunIdentityConfiguration.get().engine().introspect("corp", token[0])).isEmpty();
            List<IdentityRecord> ids = RunIdentityConfiguration.get().engine().identitiesOf("p", 1);
            assertThat(ids).singleElement().extracting(IdentityRecord::reason).isEqualTo("block-completed");
            // program.dat was written at shutdown with the block's context in it.
            try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("%s", f).doesNotContain(token[0]);
                }
            }
        });
    }

    @Test
    public void tokenFileIsRefreshedAgainAfterARestart() throws Throwable {
        assumeFalse("uses sh", Functions.isWindows());
        String[] first = new String[1];
        sessions.then(r -> {
            TestConfiguration.corpAndDeploy("**");
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      withRunIdentity(issuer: 'corp', template: 'deploy', ttl: '10s') {
                        sh 'cp "$RUN_IDENTITY_TOKEN_FILE" first.jwt'
                        semaphore 'wait'
                        sh 'sleep 12; cp "$RUN_IDENTITY_TOKEN_FILE" later.jwt'
                      }
                    }
                    """, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            first[0] = r.jenkins.getWorkspaceFor(p).child("first.jwt").readToString().trim();
        });
        sessions.then(r -> {
            long resumed = System.currentTimeMillis() / 1000;
            WorkflowJob p = r.jenkins.getItemByFullName("p", WorkflowJob.class);
            WorkflowRun b = p.getBuildByNumber(1);
            SemaphoreStep.success("wait/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            String later = r.jenkins.getWorkspaceFor(p).child("later.jwt").readToString().trim();
            var engine = RunIdentityConfiguration.get().engine();
            List<IdentityRecord> ids = engine.identitiesOf("p", 1);
            IdentityRecord latest = ids.get(ids.size() - 1);
            // The file's last token was minted after the restart, by the resumed refresh.
            assertThat(later).isNotEqualTo(first[0]);
            assertThat(latest.issuedAt().getEpochSecond()).isGreaterThanOrEqualTo(resumed);
            assertThat(ids).allSatisfy(id -> assertThat(id.reason()).isEqualTo("block-completed"));
            assertThat(engine.introspect("corp", later)).isEmpty();
            r.assertLogNotContains(later, b);
        });
    }

    @Test
    public void sessionOfARunThatStoppedWhileJenkinsWasDownIsClosedAtStartup() throws Throwable {
        String[] jti = new String[1];
        sessions.then(r -> {
            TestConfiguration.corpAndDeploy("**");
            // A session whose owner is a run that does not exist any more, as after a crash.
            RunIdentityConfiguration.get().engine().openSession(
                    io.jenkins.plugins.runidentity.core.MintRequest.of("corp", "deploy"),
                    io.jenkins.plugins.runidentity.core.RunFacts.builder("gone", 3).build(), "gone#3");
            jti[0] = RunIdentityConfiguration.get().engine().identitiesOf("gone", 3).get(0).jti();
        });
        sessions.then(r -> {
            List<IdentityRecord> ids = RunIdentityConfiguration.get().engine().identitiesOf("gone", 3);
            assertThat(ids).singleElement().satisfies(id -> {
                assertThat(id.jti()).isEqualTo(jti[0]);
                assertThat(id.reason()).isEqualTo("orphaned-after-restart");
            });
        });
    }
}
