/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/console/ConsoleLogFilter.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.console;

import hudson.ExtensionPoint;
import hudson.model.AbstractBuild;
import java.io.IOException;
import java.io.OutputStream;

public abstract class ConsoleLogFilter implements ExtensionPoint {

    /** Deprecated since 1.632, yet the overload a Pipeline body-context filter must override. */
    @Deprecated
    @SuppressWarnings("rawtypes")
    public OutputStream decorateLogger(AbstractBuild build, OutputStream logger) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }
}
