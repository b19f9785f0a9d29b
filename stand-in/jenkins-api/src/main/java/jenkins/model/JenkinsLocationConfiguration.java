/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/jenkins/model/JenkinsLocationConfiguration.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;

// Real: @Extension @Symbol("location"), also implements PersistentDescriptor.
public class JenkinsLocationConfiguration extends GlobalConfiguration {

    private JenkinsLocationConfiguration() {
    }

    public static @NonNull JenkinsLocationConfiguration get() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @CheckForNull String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }
}
