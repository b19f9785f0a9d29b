package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
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
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.IdentityRecord;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.VerifiedToken;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.mockito.ArgumentCaptor;

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
    private StepContext context;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final FakeBody body = new FakeBody();

    @Before
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        engine = RunIdentityEngine.start(new EngineConfig(
                List.of(IssuerConfig.of("corp", ISSUER_URL)),
                List.of(ScopeTemplate.builder("deploy").audiences("vault", "sts").scope("deploy", "read")
                        .allowedJobs("team/**").build())),
                FileStateStore.open(tmp.newFolder("state").toPath(), clock), clock);
        TestController.engine = engine;

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

    @After
    public void tearDown() {
        TestController.engine = null;
        engine.close();
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

        static RunIdentityEngine engine;

        @Override
        public RunIdentityEngine engine() {
            return engine;
        }

        @Override
        public RunFacts factsOf(Run<?, ?> run, Computer computer) {
            return JenkinsRunFacts.of(run, computer, "https://jenkins.example/", null);
        }
    }
}
