/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/jenkins/model/Jenkins.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package jenkins.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.File;

// Real: extends AbstractCIBase and implements many interfaces (AccessControlled among them).
public class Jenkins implements AccessControlled {

    // stand-in: the real values are the Overall/Administer and Overall/SystemRead permissions
    public static final Permission ADMINISTER = null;
    public static final Permission SYSTEM_READ = null;

    private Jenkins() {
    }

    @NonNull
    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("stand-in");
    }

    public File getRootDir() {
        throw new UnsupportedOperationException("stand-in");
    }
}
