/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/TaskListener.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.PrintStream;
import java.io.Serializable;

// Real: extends org.jenkinsci.remoting.SerializableOnlyOverRemoting, which extends Serializable; its other
// methods are defaults the plugin does not use.
public interface TaskListener extends Serializable {
    @NonNull
    PrintStream getLogger();
}
