/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/StepContext.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.io.Serializable;

// onFailure(Throwable) is inherited from Guava's FutureCallback, as in the real class.
public abstract class StepContext implements FutureCallback<Object>, Serializable {

    private static final long serialVersionUID = 1L;

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    @Override
    public abstract void onSuccess(@Nullable Object result);

    public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;
}
