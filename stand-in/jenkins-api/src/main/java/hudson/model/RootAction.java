/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/RootAction.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import hudson.ExtensionPoint;

// Real: also default getBadge() and isPrimaryAction(), which the plugin does not use.
public interface RootAction extends Action, ExtensionPoint {
}
