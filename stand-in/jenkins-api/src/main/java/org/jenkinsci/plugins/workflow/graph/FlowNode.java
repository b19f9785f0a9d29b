/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-api:1413.v2ff1a_5e720fa_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/graph/FlowNode.java
 * at jenkinsci/workflow-api-plugin tag 1413.v2ff1a_5e720fa_. Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.graph;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Actionable;
import java.util.List;

// Real: also implements Saveable, and is @ExportedBean.
public abstract class FlowNode extends Actionable {

    // Real: protected FlowNode(FlowExecution, String, FlowNode...) and (FlowExecution, String, List<FlowNode>); the
    // plugin never creates nodes, so the stand-in has only what BlockStartNode needs to compile.
    FlowNode() {}

    @NonNull
    public List<? extends BlockStartNode> getEnclosingBlocks() {
        throw new UnsupportedOperationException("stand-in");
    }
}
