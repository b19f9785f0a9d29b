/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api,
 * src/main/java/org/jenkinsci/plugins/workflow/steps/FlowInterruptedException.java at
 * jenkinsci/workflow-step-api-plugin commit 0773c3c.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Result;
import java.util.Arrays;
import java.util.List;
import jenkins.model.CauseOfInterruption;

public final class FlowInterruptedException extends InterruptedException {
    private final Result result;
    private final List<CauseOfInterruption> causes;

    public FlowInterruptedException(@NonNull Result result, @NonNull CauseOfInterruption... causes) {
        this.result = result;
        this.causes = Arrays.asList(causes);
    }

    public @NonNull Result getResult() {
        return result;
    }

    public @NonNull List<CauseOfInterruption> getCauses() {
        return causes;
    }
}
