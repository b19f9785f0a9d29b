/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/ManagementLink.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.security.Permission;

public abstract class ManagementLink implements ExtensionPoint, Action {

    @Override
    public abstract @CheckForNull String getIconFileName();

    public String getDescription() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public abstract @CheckForNull String getUrlName();

    public @NonNull Permission getRequiredPermission() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @NonNull Category getCategory() {
        throw new UnsupportedOperationException("stand-in");
    }

    // Real constants carry a Localizable display name; only the one the plugin uses is declared.
    public enum Category {
        SECURITY
    }
}
