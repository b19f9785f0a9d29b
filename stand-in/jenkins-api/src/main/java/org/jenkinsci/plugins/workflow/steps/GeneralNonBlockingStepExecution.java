/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_
 * (BOM bom-2.541.x 6916.v15ec97679743), src/main/java/org/jenkinsci/plugins/workflow/steps/GeneralNonBlockingStepExecution.java.
 * Signatures checked against jenkinsci/workflow-step-api-plugin at 0773c3c (HEAD after tag 710.v3e456cc85233,
 * the newest stored; 724 was not reachable). Only the members plugin/ uses are declared.
 */
package org.jenkinsci.plugins.workflow.steps;

/*
 * Bodies: the real run(Block) submits the block to a thread pool under the caller's authentication; here it
 * runs the block at once on the calling thread, with the same outcome (an exception from the block becomes
 * getContext().onFailure). TailCall mirrors the real class's documented behaviour. Plain unit tests are
 * written to pass against both (they wait for the context to be completed).
 */
public abstract class GeneralNonBlockingStepExecution extends StepExecution {

    private static final long serialVersionUID = 1L;

    private transient volatile Throwable stopCause;

    protected GeneralNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    @FunctionalInterface
    protected interface Block {
        void run() throws Exception;
    }

    protected final void run(Block block) {
        if (stopCause != null) {
            return;
        }
        try {
            block.run();
        } catch (Throwable x) {
            if (stopCause == null) {
                getContext().onFailure(x);
            } else {
                stopCause.addSuppressed(x);
            }
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        stopCause = cause;
        super.stop(cause);
    }

    // Real: fails the step if a block was running on a thread when the controller stopped; blocks here run
    // synchronously, so there is never one.
    @Override
    public void onResume() {}

    protected abstract class TailCall extends BodyExecutionCallback {

        private static final long serialVersionUID = 1L;

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) {
            run(() -> {
                try {
                    finished(context);
                } catch (Exception x) {
                    if (stopCause == null) {
                        context.onFailure(x);
                    } else {
                        stopCause.addSuppressed(x);
                    }
                    return;
                }
                context.onSuccess(result);
            });
        }

        @Override
        public final void onFailure(StepContext context, Throwable t) {
            run(() -> {
                try {
                    finished(context);
                } catch (Exception x) {
                    t.addSuppressed(x);
                }
                context.onFailure(t);
            });
        }
    }
}
