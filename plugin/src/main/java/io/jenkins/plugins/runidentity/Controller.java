package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Computer;
import hudson.model.Run;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.Serializable;
import java.time.Instant;

/**
 * What a step execution needs from the controller it runs on. Executions are saved with the Pipeline's
 * program state, so they keep this small serializable handle rather than the engine; tests pass their own.
 */
interface Controller extends Serializable {

    /**
     * @throws AbortException when Run Identity is not configured correctly (one line for the build log)
     */
    RunIdentityEngine engine() throws AbortException;

    /**
     * The trusted facts about a run, from the Jenkins model.
     *
     * @param deadline when the block will be stopped (see {@link RunDeadline}), or null if unknown
     */
    RunFacts factsOf(@NonNull Run<?, ?> run, @CheckForNull Computer computer, @CheckForNull Instant deadline);
}
