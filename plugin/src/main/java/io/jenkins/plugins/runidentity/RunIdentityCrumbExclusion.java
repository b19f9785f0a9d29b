package io.jenkins.plugins.runidentity;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Relying parties POST to the introspection and revocation endpoints without a Jenkins session, so they
 * cannot send a crumb. Those endpoints change nothing on a user's behalf: revocation needs the token itself.
 */
@Extension
public final class RunIdentityCrumbExclusion extends CrumbExclusion {

    @Override
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getPathInfo();
        if (path != null && path.startsWith("/" + RunIdentityRootAction.URL_NAME + "/")) {
            chain.doFilter(request, response);
            return true;
        }
        return false;
    }
}
