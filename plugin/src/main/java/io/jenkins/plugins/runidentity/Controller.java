package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.Serializable;

/**
 * What a step execution needs from the controller it runs on. Executions are saved with the Pipeline's
 * program state, so they keep this small serializable handle rather than the engine; tests pass their own.
 */
interface Controller extends Serializable {

    /**
     * @throws AbortException when Run Identity is not configured correctly (one line for the build log)
     */
    RunIdentityEngine engine() throws AbortException;

    /** The controller's configured root URL, ending in {@code /}, or null when it is not set. */
    @CheckForNull
    String rootUrl();
}
