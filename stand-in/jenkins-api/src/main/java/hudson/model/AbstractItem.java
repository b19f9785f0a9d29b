/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/AbstractItem.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

// Real: also implements Loadable, HttpDeletable, DescriptorByNameOwner, StaplerProxy (and AccessControlled, via Item).
public abstract class AbstractItem extends Actionable implements Item {

    @Override
    public final String getFullName() {
        throw new UnsupportedOperationException("stand-in");
    }
}
