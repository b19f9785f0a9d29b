/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/BodyInvoker.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.console.ConsoleLogFilter;

public abstract class BodyInvoker {

    public abstract BodyInvoker withContext(Object override);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyExecution start();

    /** Body: enough for plain unit tests, which pass no original filter. */
    public static ConsoleLogFilter mergeConsoleLogFilters(@CheckForNull ConsoleLogFilter original, @NonNull ConsoleLogFilter subsequent) {
        if (original == null) {
            return subsequent;
        }
        throw new UnsupportedOperationException("stand-in: merging two filters");
    }
}
