/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Cause.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;

// Real: @ExportedBean.
public abstract class Cause {

    public abstract String getShortDescription();

    public static class UserIdCause extends Cause {

        public UserIdCause(@CheckForNull String userId) {
            throw new UnsupportedOperationException("stand-in");
        }

        @CheckForNull
        public String getUserId() {
            throw new UnsupportedOperationException("stand-in");
        }

        @Override
        public String getShortDescription() {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
