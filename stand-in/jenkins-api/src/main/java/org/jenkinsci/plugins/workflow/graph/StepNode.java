/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-api:1413.v2ff1a_5e720fa_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/graph/StepNode.java
 * at jenkinsci/workflow-api-plugin tag 1413.v2ff1a_5e720fa_. Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.graph;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

public interface StepNode {

    @CheckForNull
    StepDescriptor getDescriptor();
}
