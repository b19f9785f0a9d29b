/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/util/FormValidation.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.util;

import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;

public abstract class FormValidation extends IOException implements HttpResponse {
    private FormValidation() {
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation ok(String message) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("stand-in");
    }
}
