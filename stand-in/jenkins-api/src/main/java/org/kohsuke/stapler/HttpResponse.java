/*
 * STAND-IN, compile only, never shipped. Mirrors org.kohsuke.stapler:stapler:2050.v425108fd5089 (pinned by jenkins-core 2.541.3),
 * core/src/main/java/org/kohsuke/stapler/HttpResponse.java at jenkinsci/stapler tag 2050.v425108fd5089.
 * Stapler is not on Maven Central. Only the members plugin/ uses are declared (see stand-in/README.md).
 */
package org.kohsuke.stapler;

import jakarta.servlet.ServletException;
import java.io.IOException;

// Real: also a deprecated javax-based default overload.
public interface HttpResponse {
    default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node) throws IOException, ServletException {
        throw new UnsupportedOperationException("stand-in");
    }
}
