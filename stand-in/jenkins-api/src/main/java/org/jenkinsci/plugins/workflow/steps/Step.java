/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/Step.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

@SuppressWarnings("deprecation") // AbstractDescribableImpl is deprecated from Jenkins 2.505; the real class still extends it
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {

    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }
}
