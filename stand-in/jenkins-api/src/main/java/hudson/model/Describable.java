/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Describable.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

public interface Describable<T extends Describable<T>> {
    /** A default method from Jenkins 2.541 on (abstract before). */
    default Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }
}
