/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/jenkins/MasterToSlaveFileCallable.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package jenkins;

import hudson.FilePath;

// Real: implements jenkins.agents.ControllerToAgentFileCallable<T> (which extends FilePath.FileCallable<T> and
// supplies checkRoles); declared here straight on FileCallable, the only supertype the plugin relies on.
public abstract class MasterToSlaveFileCallable<T> implements FilePath.FileCallable<T> {

    private static final long serialVersionUID = 1L;
}
