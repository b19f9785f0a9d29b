/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Computer.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

// Real: also implements AccessControlled, IComputer, ExecutorListener, DescriptorByNameOwner, StaplerProxy, HasWidgets.
public abstract class Computer extends Actionable {

    public @NonNull String getName() {
        throw new UnsupportedOperationException("stand-in");
    }
}
