/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/AbstractDescribableImpl.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

/** Empty and deprecated from 2.505 on; kept because workflow-step-api's Step still extends it. */
@Deprecated(since = "2.505")
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {}
