/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-api:1413.v2ff1a_5e720fa_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/actions/ArgumentsAction.java
 * at jenkinsci/workflow-api-plugin tag 1413.v2ff1a_5e720fa_. Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.actions;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Action;
import java.util.Map;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

// Real: implements PersistentAction (a marker interface extending Action).
public abstract class ArgumentsAction implements Action {

    @NonNull
    public static Map<String, Object> getArguments(@NonNull FlowNode n) {
        throw new UnsupportedOperationException("stand-in");
    }
}
