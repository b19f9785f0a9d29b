/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/security/csrf/CrumbExclusion.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.security.csrf;

import hudson.ExtensionPoint;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

public abstract class CrumbExclusion implements ExtensionPoint {

    /** Not abstract in the real class (it bridges to a deprecated javax overload), but meant to be overridden. */
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        throw new UnsupportedOperationException("stand-in");
    }
}
