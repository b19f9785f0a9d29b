package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
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
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.RunIdentityException;
import io.jenkins.plugins.runidentity.core.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code withRunIdentity}: opens a session with the engine off the CPS VM thread, hands the token to the
 * body, and closes the session when the body ends, however it ends.
 *
 * <p>This object is saved with the Pipeline's program state. It holds the session id and the token file's
 * name, never the token; the body context holds the token only as a {@link Secret}.
 */
final class WithRunIdentityExecution extends GeneralNonBlockingStepExecution {
    private static final long serialVersionUID = 1L;

    /** Needed only until the session is open; configuration stays out of the program state. */
    private final transient WithRunIdentityStep step;
    private final Controller controller;
    private final String tokenVariable;
    private final String fileVariable;

    /** Set once the session is open. */
    private String sessionId;
    private String jti;
    /** Name of the token file inside the workspace's temporary directory, or null when there is none. */
    private String tokenFileName;
    /** How the body ended; set just before the cleanup runs. */
    private CloseReason outcome;

    WithRunIdentityExecution(WithRunIdentityStep step, StepContext context, Controller controller) {
        super(context);
        this.step = step;
        this.controller = controller;
        this.tokenVariable = step.getTokenVariable();
        this.fileVariable = step.getFileVariable();
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

        RunIdentityEngine engine = controller.engine();
        Session session;
        try {
            session = engine.openSession(request,
                    controller.factsOf(run, computer), JenkinsRunFacts.owner(run));
        } catch (RequestDeniedException e) {
            throw new AbortException("withRunIdentity: " + e.getMessage());
        } catch (RunIdentityException e) {
            throw new AbortException("withRunIdentity: could not mint an identity: " + e.getMessage());
        }
        IssuedToken token = session.token();
        sessionId = session.id();
        jti = token.jti();
        RunIdentityAction.attachTo(run);
        try {
            Secret serialized = Secret.fromString(token.revealSerialized());
            String file = writeTokenFile(workspace, serialized);
            listener.getLogger().println("Run identity " + jti + " issued by " + token.issuer() + " for " + token.subject()
                    + ", expires " + token.expiresAt() + "; $" + tokenVariable + " is masked"
                    + (file == null ? " (no token file: not inside a node block)" : ""));
            EnvironmentExpander environment = new TokenEnvironment(tokenVariable, serialized, jti,
                    token.expiresAt().toString(), token.issuer(), fileVariable, file);
            ConsoleLogFilter masking = new TokenMaskingFilter(serialized.getPlainText(), run.getCharset());
            context.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(context.get(EnvironmentExpander.class), environment))
                    .withContext(BodyInvoker.mergeConsoleLogFilters(context.get(ConsoleLogFilter.class), masking))
                    .withCallback(new OutcomeRecorder(new Cleanup()))
                    .start();
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

    /** Writes the token to a fresh 0600 file in the workspace's temporary directory; returns its path, or null. */
    @CheckForNull
    private String writeTokenFile(@CheckForNull FilePath workspace, Secret token) throws IOException, InterruptedException {
        FilePath dir = workspace == null ? null : WorkspaceList.tempDir(workspace);
        if (dir == null) {
            return null;
        }
        dir.mkdirs();
        FilePath file = dir.createTempFile("run-identity", ".jwt");
        tokenFileName = file.getName();
        file.chmod(0600); // before the token is in it
        file.write(token.getPlainText(), StandardCharsets.UTF_8.name());
        return file.getRemote();
    }

    /** Removes the token file and closes the session; the first error is thrown, later ones are suppressed into it. */
    private void cleanUp(@CheckForNull FilePath workspace, @CheckForNull TaskListener listener) throws Exception {
        Exception failure = null;
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
                controller.engine().closeSession(sessionId, reason);
                if (listener != null) {
                    listener.getLogger().println("Run identity " + jti + " revoked (" + reason.code() + ")");
                }
                sessionId = null;
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
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
            // An aborted build interrupts the body with FlowInterruptedException, an InterruptedException.
            outcome = t instanceof InterruptedException ? CloseReason.ABORTED : CloseReason.BLOCK_FAILED;
            cleanup.onFailure(context, t);
        }
    }

    /** Runs after the body on success and failure alike, off the CPS VM thread. */
    private final class Cleanup extends TailCall {
        private static final long serialVersionUID = 1L;

        @Override
        protected void finished(StepContext context) throws Exception {
            cleanUp(context.get(FilePath.class), context.get(TaskListener.class));
        }
    }
}
