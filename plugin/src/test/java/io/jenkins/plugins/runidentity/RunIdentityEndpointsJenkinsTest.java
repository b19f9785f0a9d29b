package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import java.net.URL;
import net.sf.json.JSONObject;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** The issuer endpoints under {@code ${JENKINS_URL}run-identity/} (real build only). */
public class RunIdentityEndpointsJenkinsTest {

    @Rule
    public JenkinsRule r = new JenkinsRule();

    private JenkinsRule.WebClient wc;

    @Before
    public void configure() {
        TestConfiguration.corpAndDeploy("**");
        wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
    }

    private String issuer() throws Exception {
        return r.getURL() + "run-identity/corp";
    }

    private String mint() throws Exception {
        return RunIdentityConfiguration.get().engine()
                .openSession(MintRequest.of("corp", "deploy"), RunFacts.builder("p", 1).build(), "p#1")
                .token().revealSerialized();
    }

    /** A relying party's POST: no session, no crumb. */
    private WebResponse post(String path, String form) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), path), HttpMethod.POST);
        request.setAdditionalHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setRequestBody(form);
        return wc.getPage(request).getWebResponse();
    }

    @Test
    public void discoveryNamesTheIssuerAndItsEndpoints() throws Exception {
        JSONObject doc = r.getJSON("run-identity/corp/.well-known/openid-configuration").getJSONObject();
        assertThat(doc.getString("issuer")).isEqualTo(issuer());
        assertThat(doc.getString("jwks_uri")).isEqualTo(issuer() + "/jwks");
        assertThat(doc.getString("introspection_endpoint")).isEqualTo(issuer() + "/introspect");
        assertThat(doc.getString("revocation_endpoint")).isEqualTo(issuer() + "/revoke");
    }

    @Test
    public void jwksPublishesPublicKeysOnly() throws Exception {
        WebResponse response = wc.goTo("run-identity/corp/jwks", "application/json").getWebResponse();
        assertThat(response.getResponseHeaderValue("Cache-Control")).contains("max-age");
        JSONObject jwks = JSONObject.fromObject(response.getContentAsString());
        assertThat(jwks.getJSONArray("keys").size()).isPositive();
        assertThat(response.getContentAsString()).contains("\"kid\"").doesNotContain("\"d\"");
    }

    @Test
    public void introspectionAndRevocationWorkWithoutACrumb() throws Exception {
        String token = mint();
        WebResponse active = post("run-identity/corp/introspect", "token=" + token);
        assertThat(active.getStatusCode()).isEqualTo(200);
        JSONObject answer = JSONObject.fromObject(active.getContentAsString());
        assertThat(answer.getBoolean("active")).isTrue();
        assertThat(answer.getString("sub")).isEqualTo("job:p");

        assertThat(post("run-identity/corp/revoke", "token=" + token).getStatusCode()).isEqualTo(200);

        JSONObject after = JSONObject.fromObject(post("run-identity/corp/introspect", "token=" + token).getContentAsString());
        assertThat(after.getBoolean("active")).isFalse();
    }

    @Test
    public void badRequestsGetJsonErrorsNotStackTraces() throws Exception {
        WebResponse get = wc.goTo("run-identity/corp/introspect", null).getWebResponse();
        assertThat(get.getStatusCode()).isEqualTo(405);
        WebResponse inUrl = post("run-identity/corp/introspect?token=abc", "");
        assertThat(inUrl.getStatusCode()).isEqualTo(400);
        assertThat(inUrl.getContentAsString()).contains("invalid_request").doesNotContain("Exception");
        WebResponse unknown = wc.goTo("run-identity/nope/jwks", null).getWebResponse();
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getContentAsString()).contains("not_found");
        WebResponse huge = post("run-identity/corp/introspect", "token=" + "a".repeat(70_000));
        assertThat(huge.getStatusCode()).isEqualTo(413);
    }
}
