/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/security/Permission.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.security;

// Only used as a type and through the constants of Jenkins and Item; the real class has public fields,
// constructors and methods the plugin does not use.
public final class Permission {

    private Permission() {
    }
}
