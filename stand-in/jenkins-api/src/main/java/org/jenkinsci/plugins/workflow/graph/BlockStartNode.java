/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-api:1413.v2ff1a_5e720fa_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/graph/BlockStartNode.java
 * at jenkinsci/workflow-api-plugin tag 1413.v2ff1a_5e720fa_. Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.graph;

public abstract class BlockStartNode extends FlowNode {

    // Real: protected constructors taking a FlowExecution; the plugin never creates nodes.
    BlockStartNode() {}
}
