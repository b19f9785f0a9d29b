/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/jenkins/model/GlobalConfigurationCategory.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package jenkins.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.ModelObject;

public abstract class GlobalConfigurationCategory implements ExtensionPoint, ModelObject {

    public abstract String getShortDescription();

    public static @NonNull <T extends GlobalConfigurationCategory> T get(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    // Real: @Extension @Symbol("security").
    public static class Security extends GlobalConfigurationCategory {
        @Override
        public String getShortDescription() {
            throw new UnsupportedOperationException("stand-in");
        }

        @Override
        public String getDisplayName() {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
