package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.withSettings;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.console.ConsoleLogFilter;
import hudson.model.Computer;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.IdentityRecord;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.VerifiedToken;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import io.jenkins.plugins.runidentity.core.Claims;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.actions.TimingAction;
import org.jenkinsci.plugins.workflow.graph.BlockStartNode;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graph.StepNode;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;

/**
 * The step against a real engine and a mocked Pipeline: what the body sees, how the session ends, and what
 * would be saved in the program state. Runs in the stand-in build and in the real one (the real
 * GeneralNonBlockingStepExecution runs blocks on another thread, hence the waiting).
 */
public class WithRunIdentityExecutionTest {

    private static final String ISSUER_URL = "https://jenkins.example/run-identity/corp";
    private static final long WAIT = 10;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RunIdentityEngine engine;
    private Path state;
    private StepContext context;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final FakeBody body = new FakeBody();

    @Before
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void setUp() throws Exception {
        state = tmp.newFolder("state").toPath();
        engine = startEngine(deployTemplate("team/**"));
        TestController.engine = engine;
        TestController.failing = false;

        Job job = mock(Job.class);
        when(job.getFullName()).thenReturn("team/app");
        Run run = mock(Run.class);
        when(run.getParent()).thenReturn(job);
        when(run.getNumber()).thenReturn(7);
        when(run.getExternalizableId()).thenReturn("team/app#7");
        when(run.getUrl()).thenReturn("job/team/job/app/7/");
        when(run.getCauses()).thenReturn(List.of());
        when(run.getCharset()).thenReturn(StandardCharsets.UTF_8);
        TaskListener listener = mock(TaskListener.class);
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));

        context = mock(StepContext.class);
        when(context.get(Run.class)).thenReturn(run);
        when(context.get(TaskListener.class)).thenReturn(listener);
        when(context.get(FilePath.class)).thenReturn(null); // not inside a node block: no token file
        when(context.get(Computer.class)).thenReturn(null);
        when(context.get(EnvironmentExpander.class)).thenReturn(null);
        when(context.get(ConsoleLogFilter.class)).thenReturn(null);
        when(context.newBodyInvoker()).thenReturn(body);
    }

    /** Template deploy as the tests configure it, usable by the jobs {@code allowedJobs} matches. */
    private static ScopeTemplate deployTemplate(String allowedJobs) {
        return ScopeTemplate.builder("deploy").audiences("vault", "sts").scope("deploy", "read").allowedJobs(allowedJobs).build();
    }

    /** An engine on the test's state folder; several may share it, as the engines before and after a restart do. */
    private RunIdentityEngine startEngine(ScopeTemplate template) {
        Clock clock = Clock.systemUTC();
        return RunIdentityEngine.start(new EngineConfig(List.of(IssuerConfig.of("corp", ISSUER_URL)), List.of(template)),
                FileStateStore.open(state, clock), clock);
    }

    @After
    public void tearDown() {
        TestController.engine = null;
        engine.close();
    }

    /** Runs the step inside a {@code node} block: a workspace, so a token file. */
    private Path insideANode() throws Exception {
        File ws = tmp.newFolder("workspace");
        when(context.get(FilePath.class)).thenReturn(new FilePath(ws));
        return ws.toPath().resolveSibling("workspace@tmp");
    }

    private static Path onlyFileIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).as("files in %s", dir).hasSize(1);
            return all.get(0);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private WithRunIdentityExecution start(WithRunIdentityStep step) throws Exception {
        WithRunIdentityExecution execution = new WithRunIdentityExecution(step, context, TestController.INSTANCE);
        assertThat(execution.start()).as("a block step completes through its body").isFalse();
        return execution;
    }

    private static WithRunIdentityStep deploy() {
        return new WithRunIdentityStep("corp", "deploy");
    }

    private String tokenSeenByBody() throws Exception {
        EnvVars env = new EnvVars();
        body.environment().expand(env);
        return env.get("RUN_IDENTITY_TOKEN");
    }

    private IdentityRecord onlyIdentity() {
        List<IdentityRecord> identities = engine.identitiesOf("team/app", 7);
        assertThat(identities).hasSize(1);
        return identities.get(0);
    }

    @Test
    public void bodySeesAValidTokenAndItsFacts() throws Exception {
        WithRunIdentityStep step = deploy();
        step.setAudience("vault");
        start(step);
        body.awaitStart();

        EnvVars env = new EnvVars();
        body.environment().expand(env);
        VerifiedToken token = engine.verify(env.get("RUN_IDENTITY_TOKEN"));
        assertThat(token.issuer()).isEqualTo(ISSUER_URL);
        assertThat(token.subject()).isEqualTo("job:team/app");
        assertThat(token.audience()).containsExactly("vault");
        assertThat(env).containsEntry("RUN_IDENTITY_ISSUER", ISSUER_URL)
                .containsEntry("RUN_IDENTITY_ID", onlyIdentity().jti())
                .containsKey("RUN_IDENTITY_EXPIRES_AT")
                .doesNotContainKey("RUN_IDENTITY_TOKEN_FILE");
        assertThat(body.environment().getSensitiveVariables()).containsExactly("RUN_IDENTITY_TOKEN");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("Run identity " + onlyIdentity().jti())
                .doesNotContain(env.get("RUN_IDENTITY_TOKEN"));
    }

    @Test
    public void bodyConsoleMasksTheToken() throws Exception {
        start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (OutputStream out = body.consoleFilter().decorateLogger(null, console)) {
            out.write(("token=" + token + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("token=****\n");
    }

    @Test
    public void successfulBodyRevokesAsBlockCompleted() throws Exception {
        start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();
        assertThat(engine.introspect("corp", token)).isPresent();

        body.callback().onSuccess(context, "result");

        verify(context, timeout(WAIT * 1000)).onSuccess("result");
        verify(context, never()).onFailure(any());
        assertThat(engine.introspect("corp", token)).isEmpty();
        assertThat(onlyIdentity().reason()).isEqualTo("block-completed");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("revoked (block-completed)");
    }

    @Test
    public void failedBodyRevokesAsBlockFailedAndKeepsTheFailure() throws Exception {
        start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();
        RuntimeException failure = new RuntimeException("script returned exit code 1");

        body.callback().onFailure(context, failure);

        verify(context, timeout(WAIT * 1000)).onFailure(failure);
        assertThat(failure.getSuppressed()).isEmpty();
        assertThat(engine.introspect("corp", token)).isEmpty();
        assertThat(onlyIdentity().reason()).isEqualTo("block-failed");
    }

    @Test
    public void stoppedBodyRevokesAsAborted() throws Exception {
        start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();
        // Aborting a build interrupts the body with FlowInterruptedException, an InterruptedException.
        InterruptedException abort = new InterruptedException("aborted by user");

        body.callback().onFailure(context, abort);

        verify(context, timeout(WAIT * 1000)).onFailure(abort);
        assertThat(engine.introspect("corp", token)).isEmpty();
        assertThat(onlyIdentity().reason()).isEqualTo("aborted");
    }

    /** Stands in for workflow-basic-steps' TimeoutStepExecution, whose cause is recognised by class name. */
    static final class TimeoutStepExecution {
        static final class ExceededTimeout extends CauseOfInterruption {
            private static final long serialVersionUID = 1L;

            @Override
            public String getShortDescription() {
                return "Timeout has been exceeded";
            }
        }
    }

    /** A cause of interruption that is not the timeout's, e.g. a user pressing stop. */
    static final class UserStop extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;

        @Override
        public String getShortDescription() {
            return "stopped";
        }
    }

    @Test
    public void bodyStoppedByAnEnclosingTimeoutRevokesAsTimedOut() throws Exception {
        start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();
        FlowInterruptedException timedOut = new FlowInterruptedException(Result.ABORTED, new TimeoutStepExecution.ExceededTimeout());

        body.callback().onFailure(context, timedOut);

        verify(context, timeout(WAIT * 1000)).onFailure(timedOut);
        assertThat(engine.introspect("corp", token)).isEmpty();
        assertThat(onlyIdentity().reason()).isEqualTo("timed-out");
    }

    @Test
    public void closeReasonFollowsHowTheBodyEnded() {
        assertThat(WithRunIdentityExecution.reasonFor(new FlowInterruptedException(Result.ABORTED, new UserStop())))
                .isEqualTo(CloseReason.ABORTED);
        assertThat(WithRunIdentityExecution.reasonFor(new FlowInterruptedException(Result.ABORTED, new UserStop(),
                new TimeoutStepExecution.ExceededTimeout()))).isEqualTo(CloseReason.TIMED_OUT);
        assertThat(WithRunIdentityExecution.reasonFor(new InterruptedException())).isEqualTo(CloseReason.ABORTED);
        assertThat(WithRunIdentityExecution.reasonFor(new AbortException("failed"))).isEqualTo(CloseReason.BLOCK_FAILED);
    }

    @Test
    public void refusedRequestFailsWithOneLineAndStartsNoBody() throws Exception {
        start(new WithRunIdentityStep("corp", "no-such-template"));

        ArgumentCaptor<Throwable> failure = ArgumentCaptor.forClass(Throwable.class);
        verify(context, timeout(WAIT * 1000)).onFailure(failure.capture());
        assertThat(failure.getValue()).isInstanceOf(AbortException.class);
        assertThat(failure.getValue().getMessage()).startsWith("withRunIdentity: ").contains("no-such-template")
                .doesNotContain("\n");
        verify(context, never()).newBodyInvoker();
        assertThat(engine.identitiesOf("team/app", 7)).isEmpty();
        assertThat(engine.auditRecords(r -> "denied".equals(r.type()))).hasSize(1);
    }

    @Test
    public void requestWiderThanTheTemplateIsRefused() throws Exception {
        WithRunIdentityStep step = deploy();
        step.setTtl("2h");
        start(step);

        ArgumentCaptor<Throwable> failure = ArgumentCaptor.forClass(Throwable.class);
        verify(context, timeout(WAIT * 1000)).onFailure(failure.capture());
        assertThat(failure.getValue()).isInstanceOf(AbortException.class).hasMessageContaining("2h");
        verify(context, never()).newBodyInvoker();
    }

    @Test
    public void programStateHoldsNoTokenOutsideSecrets() throws Exception {
        WithRunIdentityExecution execution = start(deploy());
        body.awaitStart();
        String token = tokenSeenByBody();

        String saved = ProgramState.serialize(execution, body.callback(), body.environment(), body.consoleFilter());

        assertThat(saved).doesNotContain(token);
        for (String part : token.split("\\.")) {
            assertThat(saved).doesNotContain(part);
        }
    }

    @Test
    public void argumentsToStringNamesTheIdentityOnly() {
        WithRunIdentityStep.DescriptorImpl d = new WithRunIdentityStep.DescriptorImpl();
        assertThat(d.argumentsToString(Map.of("issuer", "corp", "template", "deploy", "ttl", "5m"))).isEqualTo("corp/deploy");
        assertThat(d.argumentsToString(Map.of("template", "deploy"))).isEqualTo("deploy");
    }

    @Test
    public void badArgumentsAreRefusedWhenTheStepIsBuilt() {
        assertThatThrownBy(() -> new WithRunIdentityStep("corp", " ")).hasMessageContaining("needs a template");
        assertThatThrownBy(() -> deploy().setTtl("ten minutes")).hasMessageContaining("ten minutes");
        assertThatThrownBy(() -> deploy().setTokenVariable("1X")).hasMessageContaining("'1X' is not a valid");
        assertThatThrownBy(() -> deploy().setFileVariable("RUN_IDENTITY_ID")).hasMessageContaining("already set");
        assertThatThrownBy(() -> deploy().setFileVariable("RUN_IDENTITY_TOKEN")).hasMessageContaining("must differ");
    }

    @Test
    public void refreshReplacesTheTokenFileAndCloseRevokesEveryToken() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityExecution execution = start(deploy());
        body.awaitStart();
        Path file = onlyFileIn(tmpDir);
        String first = read(file);
        assertThat(first).isEqualTo(tokenSeenByBody());

        execution.refreshNow();

        assertThat(onlyFileIn(tmpDir)).as("replaced in place, no temporary file left").isEqualTo(file);
        String second = read(file);
        VerifiedToken old = engine.verify(first);
        VerifiedToken fresh = engine.verify(second);
        assertThat(fresh.jti()).isNotEqualTo(old.jti());
        assertThat(fresh.claims().get(Claims.SESSION)).isEqualTo(old.claims().get(Claims.SESSION));
        assertThat(fresh.subject()).isEqualTo(old.subject());
        assertThat(engine.introspect("corp", first)).as("the earlier token lives until the block ends").isPresent();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        String console = log.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("Run identity " + fresh.jti() + " replaces " + old.jti() + " in $RUN_IDENTITY_TOKEN_FILE")
                .doesNotContain(first).doesNotContain(second);
        assertThat(engine.auditRecords(r -> "refreshed".equals(r.type()) && fresh.jti().equals(r.string("jti"))))
                .singleElement().satisfies(r -> assertThat(r.string("replaces")).isEqualTo(old.jti()));

        body.callback().onSuccess(context, null);

        verify(context, timeout(WAIT * 1000)).onSuccess(null);
        assertThat(engine.introspect("corp", first)).isEmpty();
        assertThat(engine.introspect("corp", second)).isEmpty();
        assertThat(engine.identitiesOf("team/app", 7)).hasSize(2)
                .allSatisfy(id -> assertThat(id.reason()).isEqualTo("block-completed"));
        assertThat(Files.exists(file)).isFalse();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("revoked (block-completed) with the 1 earlier token(s)");
    }

    @Test
    public void tokenFileIsRefreshedAtEightyPercentOfItsLifetimeUntilTheBlockEnds() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityStep step = deploy();
        step.setTtl("3s");
        start(step);
        body.awaitStart();
        Path file = onlyFileIn(tmpDir);
        String first = read(file);

        long until = System.currentTimeMillis() + WAIT * 1000;
        while (read(file).equals(first) && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        String second = read(file);
        assertThat(second).as("refreshed within %ss", WAIT).isNotEqualTo(first);
        VerifiedToken fresh = engine.verify(second);
        assertThat(Duration.between(engine.verify(first).issuedAt(), fresh.issuedAt()))
                .as("not before 80 %% of a 3 s lifetime, rounded to whole seconds").isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        body.callback().onSuccess(context, null);
        verify(context, timeout(WAIT * 1000)).onSuccess(null);
        int minted = engine.auditRecords(r -> "minted".equals(r.type())).size();
        Thread.sleep(3500); // longer than a refresh period: none may come after the block ended
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).hasSize(minted);
        assertThat(engine.identitiesOf("team/app", 7)).allSatisfy(id -> assertThat(id.revokedAt()).isNotNull());
    }

    @Test
    public void refreshFalseKeepsOneTokenForTheWholeBlock() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityStep step = deploy();
        step.setTtl("2s");
        step.setRefresh(false);
        start(step);
        body.awaitStart();
        String first = read(onlyFileIn(tmpDir));

        Thread.sleep(3000);

        assertThat(read(onlyFileIn(tmpDir))).isEqualTo(first);
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).hasSize(1);
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("refreshed before expiry");
    }

    @Test
    public void withoutATokenFileNothingIsRefreshed() throws Exception {
        WithRunIdentityStep step = deploy();
        step.setTtl("2s");
        start(step);
        body.awaitStart();

        Thread.sleep(3000);

        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).hasSize(1);
    }

    @Test
    public void failedRefreshLogsOneLineWithoutTheTokenAndTheBlockKeepsRunning() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityExecution execution = start(deploy());
        body.awaitStart();
        String first = read(onlyFileIn(tmpDir));
        TestController.failing = true;

        execution.refreshNow();
        execution.refreshNow();

        String console = log.toString(StandardCharsets.UTF_8);
        assertThat(console.lines().filter(l -> l.contains("could not refresh the token file"))).singleElement()
                .satisfies(l -> assertThat(l).contains("not configured correctly").contains("trying again every 15s"));
        assertThat(console).doesNotContain(first);
        assertThat(read(onlyFileIn(tmpDir))).isEqualTo(first);
        verify(context, never()).onFailure(any());
        verify(context, never()).onSuccess(any());

        TestController.failing = false;
        execution.refreshNow();

        assertThat(read(onlyFileIn(tmpDir))).isNotEqualTo(first);
        body.callback().onSuccess(context, null);
        verify(context, timeout(WAIT * 1000)).onSuccess(null);
        assertThat(engine.introspect("corp", first)).isEmpty();
    }

    @Test
    public void refusedRefreshStopsRefreshingWithOneLine() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityExecution execution = start(deploy());
        body.awaitStart();
        String first = read(onlyFileIn(tmpDir));
        // The administrator narrowed the template meanwhile: this job may not use it any more.
        TestController.engine = startEngine(deployTemplate("other/**"));
        try {
            execution.refreshNow();

            assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("no longer refreshed")))
                    .singleElement().satisfies(l -> assertThat(l).contains("team/app").doesNotContain(first));
            assertThat(read(onlyFileIn(tmpDir))).isEqualTo(first);
            assertThat(engine.auditRecords(r -> "denied".equals(r.type()))).hasSize(1);
            verify(context, never()).onFailure(any());
        } finally {
            TestController.engine.close();
            TestController.engine = engine;
        }
    }

    @Test
    public void afterARestartTheSavedSessionIsRefreshedByTheNewEngineAndClosedAtTheEnd() throws Exception {
        Path tmpDir = insideANode();
        WithRunIdentityExecution before = start(deploy());
        body.awaitStart();
        String first = read(onlyFileIn(tmpDir));

        // What Pipeline saves and loads again (program.dat), then a new engine as after a restart of the controller.
        Object[] restored = Restart.roundTrip(context, before, body.callback());
        WithRunIdentityExecution after = (WithRunIdentityExecution) restored[0];
        BodyExecutionCallback callback = (BodyExecutionCallback) restored[1];
        RunIdentityEngine previous = engine;
        engine = startEngine(deployTemplate("team/**"));
        TestController.engine = engine;
        previous.close();
        assertThat(after.nextRefresh()).isNull();

        after.onResume();

        VerifiedToken old = engine.verify(first);
        assertThat(after.nextRefresh()).isCloseTo(WithRunIdentityExecution.refreshAt(old.issuedAt(), old.expiresAt()),
                org.assertj.core.api.Assertions.within(2, java.time.temporal.ChronoUnit.SECONDS));
        after.refreshNow();
        String second = read(onlyFileIn(tmpDir));
        assertThat(engine.verify(second).claims().get(Claims.SESSION)).isEqualTo(old.claims().get(Claims.SESSION));

        callback.onSuccess(context, null);

        verify(context, timeout(WAIT * 1000)).onSuccess(null);
        assertThat(engine.introspect("corp", first)).isEmpty();
        assertThat(engine.introspect("corp", second)).isEmpty();
        assertThat(after.nextRefresh()).isNull();
    }

    @Test
    public void consoleMasksRefreshedTokensAndTheirBase64Forms() throws Exception {
        insideANode();
        WithRunIdentityExecution execution = start(deploy());
        body.awaitStart();
        String first = tokenSeenByBody();
        execution.refreshNow();
        String refreshed = read(onlyFileIn(tmpDir()));
        assertThat(refreshed).isNotEqualTo(first);
        byte[] raw = refreshed.getBytes(StandardCharsets.UTF_8);
        String[] leaks = {
            "token=" + refreshed,
            "Authorization: Bearer " + refreshed + " sent",
            Base64.getEncoder().encodeToString(raw),
            Base64.getUrlEncoder().withoutPadding().encodeToString(raw),
            "json " + Base64.getEncoder().encodeToString(("{\"t\":\"" + refreshed + "\"}").getBytes(StandardCharsets.UTF_8)),
            "x" + Base64.getEncoder().encodeToString(("ab" + refreshed).getBytes(StandardCharsets.UTF_8)),
        };
        for (String leak : leaks) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            try (OutputStream out = body.consoleFilter().decorateLogger(null, console)) {
                out.write((leak + "\n").getBytes(StandardCharsets.UTF_8));
            }
            String shown = console.toString(StandardCharsets.UTF_8);
            assertThat(shown).as(leak).contains("****");
            for (String part : refreshed.split("\\.")) {
                assertThat(shown).as(leak).doesNotContain(part.substring(0, Math.min(24, part.length())));
            }
            String b64 = Base64.getEncoder().encodeToString(raw);
            assertThat(shown).as(leak).doesNotContain(b64.substring(8, 40));
        }
    }

    private Path tmpDir() {
        return tmp.getRoot().toPath().resolve("workspace@tmp");
    }

    /** The step's flow node inside {@code timeout(time: 2, unit: 'MINUTES')} that started {@code startedAgo} ago. */
    private java.time.Instant insideATimeout(Duration startedAgo, MockedStatic<ArgumentsAction> arguments,
                                             MockedStatic<TimingAction> timing) throws Exception {
        StepDescriptor timeout = mock(StepDescriptor.class);
        when(timeout.getFunctionName()).thenReturn("timeout");
        BlockStartNode body = mock(BlockStartNode.class, withSettings().extraInterfaces(StepNode.class));
        when(((StepNode) body).getDescriptor()).thenReturn(timeout);
        BlockStartNode start = mock(BlockStartNode.class, withSettings().extraInterfaces(StepNode.class));
        when(((StepNode) start).getDescriptor()).thenReturn(timeout);
        BlockStartNode stage = mock(BlockStartNode.class); // e.g. a stage: no step node
        FlowNode node = mock(FlowNode.class);
        doReturn(List.of(body, start, stage)).when(node).getEnclosingBlocks();
        when(context.get(FlowNode.class)).thenReturn(node);
        java.time.Instant started = java.time.Instant.now().minus(startedAgo);
        arguments.when(() -> ArgumentsAction.getArguments(body)).thenReturn(Map.of());
        arguments.when(() -> ArgumentsAction.getArguments(start)).thenReturn(Map.of("time", 2, "unit", "MINUTES"));
        timing.when(() -> TimingAction.getStartTime(body)).thenReturn(started.toEpochMilli() + 5);
        timing.when(() -> TimingAction.getStartTime(start)).thenReturn(started.toEpochMilli());
        return started.plus(Duration.ofMinutes(2));
    }

    @Test
    public void insideATimeoutATemplateBoundByTheRunExpiresWithTheTimeout() throws Exception {
        RunIdentityEngine bound = startEngine(ScopeTemplate.builder("deploy").audiences("vault").allowedJobs("team/**")
                .defaultTtl(Duration.ofHours(1)).maxTtl(Duration.ofHours(1)).boundByRun(true).build());
        TestController.engine = bound;
        try (MockedStatic<ArgumentsAction> arguments = mockStatic(ArgumentsAction.class);
             MockedStatic<TimingAction> timing = mockStatic(TimingAction.class)) {
            java.time.Instant deadline = insideATimeout(Duration.ofSeconds(10), arguments, timing);
            insideANode();
            WithRunIdentityExecution execution = start(deploy());
            body.awaitStart();

            VerifiedToken token = bound.verify(tokenSeenByBody());
            assertThat(execution.nextRefresh()).as("no refresh can outlast the deadline").isNull();

            assertThat(token.expiresAt()).isEqualTo(deadline.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isLessThanOrEqualTo(Duration.ofMinutes(2));
            assertThat(bound.auditRecords(r -> "minted".equals(r.type()))).singleElement()
                    .satisfies(r -> assertThat(r.number("deadline")).isEqualTo(deadline.getEpochSecond()));
        } finally {
            TestController.engine = engine;
            bound.close();
        }
    }

    @Test
    public void insideATimeoutATemplateNotBoundByTheRunKeepsItsLifetime() throws Exception {
        try (MockedStatic<ArgumentsAction> arguments = mockStatic(ArgumentsAction.class);
             MockedStatic<TimingAction> timing = mockStatic(TimingAction.class)) {
            insideATimeout(Duration.ofSeconds(10), arguments, timing);
            WithRunIdentityStep step = deploy();
            step.setTtl("30m");
            start(step);
            body.awaitStart();

            VerifiedToken token = engine.verify(tokenSeenByBody());

            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofMinutes(30));
        }
    }

    /** Hands the step's body context to the test instead of running a body. */
    private static final class FakeBody extends BodyInvoker {
        private final List<Object> contexts = new ArrayList<>();
        private BodyExecutionCallback callback;
        private final CompletableFuture<Void> started = new CompletableFuture<>();

        @Override
        public BodyInvoker withContext(Object override) {
            contexts.add(override);
            return this;
        }

        @Override
        public BodyInvoker withCallback(BodyExecutionCallback callback) {
            this.callback = callback;
            return this;
        }

        @Override
        public BodyExecution start() {
            started.complete(null);
            return mock(BodyExecution.class);
        }

        void awaitStart() throws Exception {
            started.get(WAIT, TimeUnit.SECONDS);
        }

        BodyExecutionCallback callback() {
            return callback;
        }

        EnvironmentExpander environment() {
            return only(EnvironmentExpander.class);
        }

        ConsoleLogFilter consoleFilter() {
            return only(ConsoleLogFilter.class);
        }

        private <T> T only(Class<T> type) {
            List<T> found = contexts.stream().filter(type::isInstance).map(type::cast).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    /** A serializable handle on the test's engine, as the real one is on the controller's. */
    enum TestController implements Controller {
        INSTANCE;

        static volatile RunIdentityEngine engine;
        /** Answers as the real one does when the configuration is broken. */
        static volatile boolean failing;

        @Override
        public RunIdentityEngine engine() throws AbortException {
            if (failing) {
                throw new AbortException("Run Identity is not configured correctly (Manage Jenkins » Security » Run Identity): test");
            }
            return engine;
        }

        @Override
        public RunFacts factsOf(Run<?, ?> run, Computer computer, java.time.Instant deadline) {
            return JenkinsRunFacts.of(run, computer, "https://jenkins.example/", null, deadline);
        }
    }

    /**
     * Saves objects as Pipeline saves its program state and loads them again: the step context is saved as a
     * reference and comes back as the same context, everything else is Java-serialized.
     */
    private static final class Restart {
        private enum ContextReference { THE_CONTEXT }

        static Object[] roundTrip(StepContext context, Object... objects) throws Exception {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
                {
                    enableReplaceObject(true);
                }

                @Override
                protected Object replaceObject(Object obj) {
                    return obj instanceof StepContext ? ContextReference.THE_CONTEXT : obj;
                }
            }) {
                out.writeObject(objects);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
                {
                    enableResolveObject(true);
                }

                @Override
                protected Object resolveObject(Object obj) {
                    return obj == ContextReference.THE_CONTEXT ? context : obj;
                }
            }) {
                return (Object[]) in.readObject();
            }
        }
    }
}
