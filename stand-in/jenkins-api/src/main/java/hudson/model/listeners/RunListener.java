/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/listeners/RunListener.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model.listeners;

import hudson.ExtensionPoint;
import hudson.model.Run;

@SuppressWarnings("rawtypes")
public abstract class RunListener<R extends Run> implements ExtensionPoint {

    /** Infers the run type from the subclass's type argument. */
    protected RunListener() {
    }

    public void onFinalized(R r) {}
}
