package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.console.ConsoleLogFilter;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.IssuedToken;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RequestDeniedException;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.RunIdentityException;
import io.jenkins.plugins.runidentity.core.Session;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code withRunIdentity}: opens a session with the engine off the CPS VM thread, hands the token to the
 * body, keeps the token file fresh while the body runs, and closes the session when the body ends, however it ends.
 *
 * <p>This object is saved with the Pipeline's program state. It holds the session (its id, what was asked and the
 * run's facts) and the token file's name, never a token; the body context holds the first token only as a
 * {@link Secret}.
 *
 * <p><b>Refresh.</b> At 80 % of each token's lifetime a {@link Timer} task asks the engine for a fresh token of the
 * same session and renames a new 0600 file over the token file. The variables cannot change once the body has
 * started, so only the file is refreshed; without a file (outside a {@code node} block) nothing is. After a
 * controller restart {@link #onResume()} schedules the next refresh from the saved state.
 */
final class WithRunIdentityExecution extends GeneralNonBlockingStepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(WithRunIdentityExecution.class.getName());

    /** A failed refresh is tried again this often while the current token is valid. */
    static final Duration RETRY = Duration.ofSeconds(15);
    /** Never refresh sooner than this after the previous attempt, whatever the token's lifetime. */
    private static final Duration SHORTEST_DELAY = Duration.ofSeconds(1);

    /** Needed only until the session is open; configuration stays out of the program state. */
    private final transient WithRunIdentityStep step;
    private final Controller controller;
    private final String tokenVariable;
    private final String fileVariable;
    private final boolean refresh;

    /** Set once the session is open; cleared once it is closed. */
    private String sessionId;
    /** What a refresh asks for again, also after a restart; null in state saved before refresh existed. */
    private OpenSession session;
    /** The current token's id and times (the latest refresh's). */
    private String jti;
    private Instant issuedAt;
    private Instant expiresAt;
    /** Name of the token file inside the workspace's temporary directory, or null when there is none. */
    private String tokenFileName;
    /** How the body ended; set just before the cleanup runs. */
    private CloseReason outcome;
    /** Set when the body has ended: no refresh may start or write anything after that. */
    private volatile boolean ended;

    /** The next refresh, if one is scheduled, and when it is due. */
    private transient Future<?> pending;
    private transient Instant pendingAt;
    /** Whether the last refresh failed, so that a run of failures is logged once. */
    private transient boolean failing;

    WithRunIdentityExecution(WithRunIdentityStep step, StepContext context, Controller controller) {
        super(context);
        this.step = step;
        this.controller = controller;
        this.tokenVariable = step.getTokenVariable();
        this.fileVariable = step.getFileVariable();
        this.refresh = step.isRefresh();
    }

    @Override
    public boolean start() {
        MintRequest request = step.toRequest();
        run(() -> open(request));
        return false;
    }

    private void open(MintRequest request) throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        Computer computer = context.get(Computer.class);
        Instant deadline = RunDeadline.of(context.get(FlowNode.class));

        RunIdentityEngine engine = controller.engine();
        Session opened;
        try {
            opened = engine.openSession(request, controller.factsOf(run, computer, deadline), JenkinsRunFacts.owner(run));
        } catch (RequestDeniedException e) {
            throw new AbortException("withRunIdentity: " + e.getMessage());
        } catch (RunIdentityException e) {
            throw new AbortException("withRunIdentity: could not mint an identity: " + e.getMessage());
        }
        IssuedToken token = opened.token();
        synchronized (this) {
            sessionId = opened.id();
            session = new OpenSession(opened);
            noteCurrent(token);
        }
        RunIdentityAction.attachTo(run);
        try {
            Secret serialized = Secret.fromString(token.revealSerialized());
            String file = createTokenFile(workspace, serialized);
            boolean refreshing = refresh && file != null;
            listener.getLogger().println("Run identity " + jti + " issued by " + token.issuer() + " for " + token.subject()
                    + ", expires " + token.expiresAt() + "; $" + tokenVariable + " is masked"
                    + (file == null ? " (no token file: not inside a node block)"
                            : refreshing ? "; $" + fileVariable + " is refreshed before expiry" : ""));
            EnvironmentExpander environment = new TokenEnvironment(tokenVariable, serialized, jti,
                    token.expiresAt().toString(), token.issuer(), fileVariable, file);
            ConsoleLogFilter masking = new TokenMaskingFilter(serialized.getPlainText(), run.getCharset());
            context.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(context.get(EnvironmentExpander.class), environment))
                    .withContext(BodyInvoker.mergeConsoleLogFilters(context.get(ConsoleLogFilter.class), masking))
                    .withCallback(new OutcomeRecorder(new Cleanup()))
                    .start();
            scheduleRefresh();
        } catch (Exception | Error e) {
            outcome = CloseReason.BLOCK_FAILED;
            try {
                cleanUp(workspace, listener);
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void noteCurrent(IssuedToken token) {
        jti = token.jti();
        issuedAt = token.issuedAt();
        expiresAt = token.expiresAt();
    }

    /** Writes the token to a fresh 0600 file in the workspace's temporary directory; returns its path, or null. */
    @CheckForNull
    private String createTokenFile(@CheckForNull FilePath workspace, Secret token) throws IOException, InterruptedException {
        FilePath dir = workspace == null ? null : WorkspaceList.tempDir(workspace);
        if (dir == null) {
            return null;
        }
        dir.mkdirs();
        FilePath file = dir.createTempFile("run-identity", ".jwt"); // reserves a unique name
        synchronized (this) {
            tokenFileName = file.getName();
        }
        TokenFile.write(dir, file.getName(), token); // replaced by an owner-only file before the token is in it
        return file.getRemote();
    }

    /** The body is still running after a restart: keep its token file fresh from where the saved state says. */
    @Override
    public void onResume() {
        super.onResume();
        scheduleRefresh();
    }

    /** When the current token should be replaced: at 80 % of its lifetime. */
    static Instant refreshAt(Instant issued, Instant expires) {
        return issued.plus(Duration.between(issued, expires).multipliedBy(4).dividedBy(5));
    }

    private synchronized void scheduleRefresh() {
        if (!refresh || ended || sessionId == null || session == null || tokenFileName == null) {
            return;
        }
        if (session.deadline != null && !expiresAt.isBefore(session.deadline)) {
            return; // the token already lives until the run's deadline; no refresh could extend it
        }
        schedule(refreshAt(issuedAt, expiresAt));
    }

    private synchronized void schedule(Instant at) {
        long delay = Math.max(SHORTEST_DELAY.toMillis(), Duration.between(Instant.now(), at).toMillis());
        if (pending != null) {
            pending.cancel(false); // one refresh scheduled at a time
        }
        pending = Timer.get().schedule(this::refreshNow, delay, TimeUnit.MILLISECONDS);
        pendingAt = Instant.now().plusMillis(delay);
    }

    /** When the next refresh is due, or null if none is scheduled. */
    @CheckForNull
    synchronized Instant nextRefresh() {
        return pendingAt;
    }

    /**
     * Replaces the session's token with a fresh one: minted by the engine (which audits it), then renamed over the
     * token file. A refusal (policy, or the run's deadline) ends refreshing with one line in the build log; any
     * other failure is logged once and retried while the current token is valid. The block keeps running either way.
     */
    void refreshNow() {
        TaskListener listener = null;
        String previous;
        IssuedToken fresh;
        try {
            StepContext context = getContext();
            listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            synchronized (this) {
                if (ended || sessionId == null || session == null) {
                    return;
                }
                previous = jti;
                fresh = controller.engine().refresh(session.toSession()).token();
                FilePath dir = workspace == null ? null : WorkspaceList.tempDir(workspace);
                if (dir == null || tokenFileName == null) {
                    throw new IOException("the workspace of the block is not available");
                }
                TokenFile.write(dir, tokenFileName, Secret.fromString(fresh.revealSerialized()));
                noteCurrent(fresh);
                failing = false;
            }
        } catch (RequestDeniedException e) {
            log(listener, "withRunIdentity: the token file is no longer refreshed: " + e.getMessage());
            return;
        } catch (RunIdentityException e) {
            if (!ended) {
                log(listener, "withRunIdentity: the token file is no longer refreshed: " + e.getMessage());
            }
            return;
        } catch (Exception e) {
            retryAfter(listener, e);
            return;
        }
        log(listener, "Run identity " + fresh.jti() + " replaces " + previous + " in $" + fileVariable
                + ", expires " + fresh.expiresAt());
        scheduleRefresh();
    }

    private void retryAfter(@CheckForNull TaskListener listener, Exception e) {
        Instant next = Instant.now().plus(RETRY);
        boolean first;
        synchronized (this) {
            if (ended) {
                return;
            }
            first = !failing;
            failing = true;
            if (next.isBefore(expiresAt)) {
                schedule(next);
            }
        }
        if (first) {
            // The message names what failed (engine, configuration, agent); never a token.
            log(listener, "withRunIdentity: could not refresh the token file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); trying again every " + RETRY.toSeconds() + "s while the current token is valid");
        }
        LOGGER.log(Level.FINE, "Refreshing a run identity failed", e);
    }

    private static void log(@CheckForNull TaskListener listener, String line) {
        if (listener != null) {
            listener.getLogger().println(line);
        } else {
            LOGGER.info(line);
        }
    }

    /** Removes the token file and closes the session; the first error is thrown, later ones are suppressed into it. */
    private void cleanUp(@CheckForNull FilePath workspace, @CheckForNull TaskListener listener) throws Exception {
        ended = true; // a refresh starting from now on does nothing
        Exception failure = null;
        synchronized (this) { // waits for a refresh under way, so it cannot write the file after it was removed
            if (pending != null) {
                pending.cancel(false);
                pending = null;
                pendingAt = null;
            }
            if (tokenFileName != null && workspace != null) {
                try {
                    FilePath dir = WorkspaceList.tempDir(workspace);
                    if (dir != null) {
                        dir.child(tokenFileName).delete();
                    }
                    tokenFileName = null;
                } catch (IOException | InterruptedException e) {
                    failure = e;
                }
            }
            if (sessionId != null) {
                CloseReason reason = outcome == null ? CloseReason.BLOCK_FAILED : outcome;
                try {
                    int revoked = controller.engine().closeSession(sessionId, reason);
                    if (listener != null) {
                        listener.getLogger().println("Run identity " + jti + " revoked (" + reason.code() + ")"
                                + (revoked > 1 ? " with the " + (revoked - 1) + " earlier token(s) of the block" : ""));
                    }
                    sessionId = null;
                    session = null;
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * What the engine needs to refresh a session it may not have opened itself (the controller restarted, or the
     * configuration changed and the engine was rebuilt): the session id, what was asked, and the run's facts as they
     * were when it opened. Nothing here is secret.
     */
    private static final class OpenSession implements Serializable {
        private static final long serialVersionUID = 1L;

        final String id;
        final String issuerId;
        final String template;
        final String requestedIssuer, requestedAudience, requestedScope, requestedTtl;
        final String job, runId, buildUrl, branch, change, node, cause, controller;
        final long buildNumber;
        final Instant deadline;

        OpenSession(@NonNull Session s) {
            id = s.id();
            issuerId = s.issuerId();
            template = s.template();
            MintRequest r = s.request();
            requestedIssuer = r.issuer();
            requestedAudience = r.audience();
            requestedScope = r.scope();
            requestedTtl = r.ttl();
            RunFacts f = s.facts();
            job = f.job();
            buildNumber = f.buildNumber();
            runId = f.runId();
            buildUrl = f.buildUrl();
            branch = f.branch();
            change = f.change();
            node = f.node();
            cause = f.cause();
            controller = f.controller();
            deadline = f.deadline();
        }

        Session toSession() {
            return new Session(id, issuerId, template,
                    new RunFacts(job, buildNumber, runId, buildUrl, branch, change, node, cause, controller, deadline),
                    null, new MintRequest(requestedIssuer, template, requestedAudience, requestedScope, requestedTtl));
        }
    }

    /** Notes how the body ended, for the audit record, then lets the cleanup run. */
    private final class OutcomeRecorder extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final BodyExecutionCallback cleanup;

        OutcomeRecorder(BodyExecutionCallback cleanup) {
            this.cleanup = cleanup;
        }

        @Override
        public void onStart(StepContext context) {
            cleanup.onStart(context);
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            outcome = CloseReason.BLOCK_COMPLETED;
            cleanup.onSuccess(context, result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            outcome = reasonFor(t);
            cleanup.onFailure(context, t);
        }
    }

    /**
     * Why the session of a body that ended with {@code t} is closed. An aborted build, and an enclosing
     * {@code timeout} that fired, interrupt the body with a {@link FlowInterruptedException}; the timeout step says
     * so with its own cause. That cause is known by name so that the plugin needs no dependency on the plugin that
     * defines it (workflow-basic-steps).
     */
    static CloseReason reasonFor(Throwable t) {
        if (t instanceof FlowInterruptedException interrupted) {
            for (CauseOfInterruption cause : interrupted.getCauses()) {
                if (cause.getClass().getName().endsWith(TIMEOUT_CAUSE)) {
                    return CloseReason.TIMED_OUT;
                }
            }
        }
        return t instanceof InterruptedException ? CloseReason.ABORTED : CloseReason.BLOCK_FAILED;
    }

    /** The class name of the cause the {@code timeout} step interrupts its body with. */
    static final String TIMEOUT_CAUSE = "TimeoutStepExecution$ExceededTimeout";

    /** Runs after the body on success and failure alike, off the CPS VM thread. */
    private final class Cleanup extends TailCall {
        private static final long serialVersionUID = 1L;

        @Override
        protected void finished(StepContext context) throws Exception {
            cleanUp(context.get(FilePath.class), context.get(TaskListener.class));
        }
    }
}
