/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/EnvironmentExpander.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Set;

public abstract class EnvironmentExpander implements Serializable {

    private static final long serialVersionUID = 1L;

    public abstract void expand(@NonNull EnvVars env) throws IOException, InterruptedException;

    public @NonNull Set<String> getSensitiveVariables() {
        return Set.of();
    }

    /** Body: enough for plain unit tests, which pass no original expander. */
    public static EnvironmentExpander merge(@CheckForNull EnvironmentExpander original, @NonNull EnvironmentExpander subsequent) {
        if (original == null) {
            return subsequent;
        }
        throw new UnsupportedOperationException("stand-in: merging two expanders");
    }
}
