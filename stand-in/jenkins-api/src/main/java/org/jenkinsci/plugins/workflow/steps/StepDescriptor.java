/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/StepDescriptor.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Descriptor;
import java.util.Map;
import java.util.Set;

public abstract class StepDescriptor extends Descriptor<Step> {

    public abstract Set<? extends Class<?>> getRequiredContext();

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        throw new UnsupportedOperationException("stand-in");
    }

    @CheckForNull
    public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
        throw new UnsupportedOperationException("stand-in");
    }
}
