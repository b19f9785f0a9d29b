package io.jenkins.plugins.runidentity;

import hudson.Extension;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Run;
import hudson.model.listeners.RunListener;
import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.RunIdentityException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.security.access.AccessDeniedException;

/**
 * Closes sessions that their block did not close: when a run is finalized (a block that never got to its
 * cleanup, e.g. a hard kill of the build), and once at startup for runs that stopped building while the
 * controller was down. Which sessions are open is the engine's; the owner of a session is the run's
 * externalizable id.
 */
@Extension
public final class RunIdentityLifecycle extends RunListener<Run<?, ?>> {
    private static final Logger LOGGER = Logger.getLogger(RunIdentityLifecycle.class.getName());

    @Override
    public void onFinalized(Run<?, ?> run) {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        if (engine == null) {
            return;
        }
        String owner = JenkinsRunFacts.owner(run);
        try {
            int closed = engine.closeOrphanedSessions(owner::equals, CloseReason.RUN_FINISHED);
            if (closed > 0) {
                LOGGER.log(Level.FINE, "Closed {0} run identity session(s) left open by {1}", new Object[] {closed, owner});
            }
        } catch (RunIdentityException e) {
            LOGGER.log(Level.WARNING, "Could not close the run identity sessions of " + owner + ": " + e.getMessage());
        }
    }

    /** After jobs are loaded, Pipeline builds that will resume are building again; every other owner is gone. */
    @Initializer(after = InitMilestone.JOB_CONFIG_ADAPTED)
    public static void closeSessionsOfStoppedRuns() {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        if (engine == null) {
            return;
        }
        try {
            int closed = engine.closeOrphanedSessions(RunIdentityLifecycle::isStoppedRun, CloseReason.ORPHANED_AFTER_RESTART);
            if (closed > 0) {
                LOGGER.log(Level.INFO, "Closed {0} run identity session(s) of runs that stopped while Jenkins was down", closed);
            }
        } catch (RuntimeException e) {
            // Never fail the controller's startup over this; onFinalized and the next start try again.
            LOGGER.log(Level.WARNING, "Could not close run identity sessions left open before the restart", e);
        }
    }

    /**
     * A session owner that is a run of this controller which is not building (or no longer exists). Owners that
     * are not run ids of this controller are left alone: another process may own them.
     */
    static boolean isStoppedRun(String owner) {
        if (owner == null || !owner.contains("#")) {
            return false;
        }
        Run<?, ?> run;
        try {
            run = Run.fromExternalizableId(owner);
        } catch (IllegalArgumentException | AccessDeniedException e) {
            return false;
        }
        return run == null || !run.isBuilding();
    }
}
