package io.jenkins.plugins.runidentity;

import hudson.Extension;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.runidentity.core.EndpointRequest;
import io.jenkins.plugins.runidentity.core.EndpointResponse;
import io.jenkins.plugins.runidentity.core.IssuerEndpoints;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * Serves every issuer's endpoints at {@code ${JENKINS_URL}run-identity/<issuer>/…} (discovery, JWKS,
 * introspection, revocation) to anyone, as relying parties have no Jenkins account. What each endpoint means
 * is the engine's; this class only turns a Stapler request into an {@link EndpointRequest} and back.
 */
@Extension
public final class RunIdentityRootAction implements UnprotectedRootAction {

    static final String URL_NAME = "run-identity";

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Every path below {@code run-identity/}, for every HTTP method. */
    @SuppressWarnings("try") // the ACL context is only opened and closed
    public void doDynamic(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        String rootUrl = RunIdentityConfiguration.rootUrl();
        if (engine == null || rootUrl == null) {
            write(rsp, 404, Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                    "{\"error\":\"not_found\",\"error_description\":\"no run identity issuer is configured\"}"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = readBody(req.getInputStream());
        if (body.length == 0 && req.getQueryString() == null && isForm(req.getContentType())) {
            body = formFromParameters(req.getParameterMap()); // a filter already parsed the form
        }
        EndpointRequest request = new EndpointRequest(req.getMethod().toUpperCase(Locale.ROOT),
                issuerPath(rootUrl, req.getRestOfPath()), req.getQueryString(), req.getContentType(), body);
        EndpointResponse response;
        // Relying parties are anonymous; the engine's lookups need no user's permissions.
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            response = engine.endpoints().handle(request);
        }
        write(rsp, response.status(), response.headers(), response.body());
    }

    /**
     * The request's path as it appears in issuer URLs, which are derived from the configured root URL: a
     * reverse proxy may present a different context path to Jenkins than the one relying parties use.
     */
    static String issuerPath(String rootUrl, String restOfPath) {
        String base = URI.create(rootUrl).getRawPath();
        if (base == null || base.isEmpty()) {
            base = "/";
        }
        if (!base.endsWith("/")) {
            base += "/";
        }
        return base + URL_NAME + (restOfPath == null ? "" : restOfPath);
    }

    /** Reads at most one byte more than the engine accepts, so it can tell an oversized body from a full one. */
    static byte[] readBody(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        return in.readNBytes(IssuerEndpoints.MAX_BODY_BYTES + 1);
    }

    private static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /**
     * The servlet container consumes a form body once anything calls {@code getParameter}; with no query string
     * the parameters are exactly the body's, so encode them again for the engine.
     */
    static byte[] formFromParameters(Map<String, String[]> parameters) {
        StringBuilder form = new StringBuilder();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                if (form.length() > 0) {
                    form.append('&');
                }
                form.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StaplerResponse2 rsp, int status, Map<String, String> headers, byte[] body) throws IOException {
        rsp.setStatus(status);
        headers.forEach(rsp::setHeader);
        rsp.setContentLength(body.length);
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(body);
        }
    }
}
