package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.ExtensionList;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.springframework.security.access.AccessDeniedException;

/** "Rotate keys now" on the audit page (real build only). */
public class RunIdentityKeyRotationJenkinsTest {

    @Rule
    public JenkinsRule r = new JenkinsRule();

    private final DrivenClock clock = new DrivenClock();

    @Before
    public void configure() {
        TestConfiguration.corpAndDeploy("**");
        RunIdentityConfiguration.get().useClockForTesting(clock);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
    }

    private WebResponse postRotate(JenkinsRule.WebClient wc, String issuer) throws Exception {
        WebRequest request = new WebRequest(new URL(r.getURL(), "manage/run-identity-audit/rotateKeys?issuer=" + issuer),
                HttpMethod.POST);
        return wc.getPage(wc.addCrumb(request)).getWebResponse();
    }

    private List<String> jwksKids() throws Exception {
        JSONArray keys = r.getJSON("run-identity/corp/jwks").getJSONObject().getJSONArray("keys");
        List<String> kids = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            kids.add(keys.getJSONObject(i).getString("kid"));
        }
        return kids;
    }

    private static String kidIn(RunIdentityEngine engine, String state) {
        return engine.keys("corp").stream().filter(k -> k.state().name().equals(state)).findFirst().orElseThrow().kid();
    }

    @Test
    public void pageListsTheKeysAndOffersRotationToAdministrators() throws Exception {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engine();
        String page = r.createWebClient().login("admin").goTo("manage/run-identity-audit/").getWebResponse().getContentAsString();
        assertThat(page).contains(kidIn(engine, "ACTIVE")).contains(kidIn(engine, "NEXT")).contains("RS256")
                .contains("Rotate keys now").doesNotContain("\"d\":");
    }

    @Test
    public void administratorRotatesAndTheJwksPublishesTheNewNextKey() throws Exception {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engine();
        String active = kidIn(engine, "ACTIVE");
        String next = kidIn(engine, "NEXT");
        assertThat(jwksKids()).containsExactlyInAnyOrder(active, next);
        clock.advance(Duration.ofMinutes(6)); // the next key has now been published longer than a JWKS cache period

        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        WebResponse response = postRotate(admin, "corp");

        assertThat(response.getStatusCode()).isEqualTo(200); // after the redirect back to the page
        assertThat(response.getWebRequest().getUrl().toString()).contains("rotated=corp");
        assertThat(response.getContentAsString()).contains("Issuer corp: rotated.");
        engine = RunIdentityConfiguration.get().engine();
        assertThat(kidIn(engine, "ACTIVE")).isEqualTo(next);
        assertThat(kidIn(engine, "RETIRED")).isEqualTo(active);
        String newNext = kidIn(engine, "NEXT");
        assertThat(newNext).isNotIn(active, next);
        assertThat(jwksKids()).containsExactlyInAnyOrder(active, next, newNext);
    }

    @Test
    public void tooEarlyRotationChangesNothingAndSaysWhen() throws Exception {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engine();
        String active = kidIn(engine, "ACTIVE");

        WebResponse response = postRotate(r.createWebClient().login("admin"), "corp");

        assertThat(response.getContentAsString()).contains("Issuer corp: not rotated.").contains("Rotation is possible from");
        assertThat(kidIn(RunIdentityConfiguration.get().engine(), "ACTIVE")).isEqualTo(active);
    }

    @Test
    public void nonAdministratorsGet403() throws Exception {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engine();
        String active = kidIn(engine, "ACTIVE");
        clock.advance(Duration.ofMinutes(6));

        JenkinsRule.WebClient reader = r.createWebClient().login("reader").withThrowExceptionOnFailingStatusCode(false);
        WebResponse refused = postRotate(reader, "corp");
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(refused.getContentAsString()).doesNotContain("No valid crumb");
        // the link's own check, not only the pages around it
        try (ACLContext ignored = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThatThrownBy(() -> ExtensionList.lookupSingleton(RunIdentityAuditLink.class).doRotateKeys("corp", null))
                    .isInstanceOf(AccessDeniedException.class);
        }
        JenkinsRule.WebClient anonymous = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        assertThat(postRotate(anonymous, "corp").getStatusCode()).isEqualTo(403);

        assertThat(kidIn(RunIdentityConfiguration.get().engine(), "ACTIVE")).isEqualTo(active);
    }

    @Test
    public void getIsRefused() throws Exception {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engine();
        String active = kidIn(engine, "ACTIVE");
        clock.advance(Duration.ofMinutes(6));

        r.createWebClient().login("admin").assertFails("manage/run-identity-audit/rotateKeys?issuer=corp", 405);

        assertThat(kidIn(RunIdentityConfiguration.get().engine(), "ACTIVE")).isEqualTo(active);
    }

    @Test
    public void theOutcomeShownNamesOnlyConfiguredIssuers() throws Exception {
        String page = r.createWebClient().login("admin")
                .goTo("manage/run-identity-audit/?rotated=%3Cb%3Eforged%3C%2Fb%3E&notRotated=corp&possibleAt=%3Ci%3Ex")
                .getWebResponse().getContentAsString();
        assertThat(page).doesNotContain("forged").doesNotContain("<i>x").contains("Issuer corp: not rotated.");
    }

    @Test
    public void unknownIssuerIs404() throws Exception {
        JenkinsRule.WebClient admin = r.createWebClient().login("admin").withThrowExceptionOnFailingStatusCode(false);
        assertThat(postRotate(admin, "nope").getStatusCode()).isEqualTo(404);
    }
}
