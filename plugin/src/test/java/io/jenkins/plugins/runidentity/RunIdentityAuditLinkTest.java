package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.SigningAlgorithm;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The key list and forced rotation of the audit page, against a real engine (the HTTP side is in the JenkinsTest). */
public class RunIdentityAuditLinkTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final DrivenClock clock = new DrivenClock();
    private RunIdentityEngine engine;
    private Path state;

    @Before
    public void setUp() throws Exception {
        state = tmp.newFolder("state").toPath();
        engine = RunIdentityEngine.start(new EngineConfig(
                List.of(IssuerConfig.of("corp", "https://jenkins.example/run-identity/corp"),
                        new IssuerConfig("edge", "https://jenkins.example/run-identity/edge", SigningAlgorithm.ES256,
                                IssuerConfig.DEFAULT_ROTATION)),
                List.of(ScopeTemplate.builder("deploy").audiences("vault").allowedJobs("**").build())),
                FileStateStore.open(state, clock), clock);
    }

    @After
    public void tearDown() {
        engine.close();
    }

    private static List<String> states(RunIdentityAuditLink.IssuerKeys issuer) {
        return issuer.getKeys().stream().map(RunIdentityAuditLink.KeyRow::getState).toList();
    }

    @Test
    public void listsEveryIssuersKeysWithTheirFacts() {
        List<RunIdentityAuditLink.IssuerKeys> issuers = RunIdentityAuditLink.issuerKeys(engine);

        assertThat(issuers).extracting(RunIdentityAuditLink.IssuerKeys::getId).containsExactly("corp", "edge");
        assertThat(issuers.get(0).getUrl()).isEqualTo("https://jenkins.example/run-identity/corp");
        assertThat(states(issuers.get(0))).containsExactlyInAnyOrder("ACTIVE", "NEXT");
        RunIdentityAuditLink.KeyRow key = issuers.get(0).getKeys().get(0);
        assertThat(key.getAlgorithm()).isEqualTo("RS256");
        assertThat(issuers.get(1).getKeys().get(0).getAlgorithm()).isEqualTo("ES256");
        assertThat(key.getKid()).isEqualTo(engine.keys("corp").get(0).kid());
        assertThat(key.getCreated()).isNotEmpty();
        assertThat(key.getRetired()).isEmpty();
    }

    @Test
    public void rowsExposeNoKeyMaterial() throws Exception {
        // Everything the view can read from a row is a plain string; none of it is part of a JWK's key members.
        RunIdentityAuditLink.KeyRow key = RunIdentityAuditLink.issuerKeys(engine).get(0).getKeys().get(0);
        String everything = "";
        for (Method m : RunIdentityAuditLink.KeyRow.class.getMethods()) {
            if (m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class) {
                assertThat(m.getReturnType()).as(m.getName()).isEqualTo(String.class);
                everything += m.invoke(key) + "\n";
            }
        }
        try (Stream<Path> files = Files.walk(state)) {
            Path keys = files.filter(p -> p.getFileName().toString().equals("corp.json")).findFirst().orElseThrow();
            String stored = Files.readString(keys);
            // the private exponent of the first key, as the store holds it
            String d = stored.replaceAll("(?s).*?\"d\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            assertThat(d).isNotEqualTo(stored).hasSizeGreaterThan(100);
            assertThat(everything).doesNotContain(d.substring(0, 40));
        }
    }

    @Test
    public void rotationWaitsUntilTheNextKeyHasBeenPublishedLongEnough() {
        String before = engine.keys("corp").stream().filter(k -> k.state().name().equals("ACTIVE")).findFirst().orElseThrow().kid();

        String outcome = RunIdentityAuditLink.rotate(engine, "corp");

        assertThat(outcome).startsWith("notRotated=corp&possibleAt=20");
        assertThat(engine.keys("corp")).filteredOn(k -> k.state().name().equals("ACTIVE"))
                .singleElement().extracting(RunIdentityEngine.KeyInfo::kid).isEqualTo(before);
    }

    @Test
    public void rotationActivatesTheNextKeyAndPublishesANewOne() {
        List<RunIdentityEngine.KeyInfo> before = engine.keys("corp");
        String next = before.stream().filter(k -> k.state().name().equals("NEXT")).findFirst().orElseThrow().kid();
        String active = before.stream().filter(k -> k.state().name().equals("ACTIVE")).findFirst().orElseThrow().kid();
        clock.advance(Duration.ofMinutes(6));

        assertThat(RunIdentityAuditLink.rotate(engine, "corp")).isEqualTo("rotated=corp");

        List<RunIdentityEngine.KeyInfo> after = engine.keys("corp");
        assertThat(after).filteredOn(k -> k.kid().equals(next)).singleElement()
                .extracting(k -> k.state().name()).isEqualTo("ACTIVE");
        assertThat(after).filteredOn(k -> k.kid().equals(active)).singleElement()
                .extracting(k -> k.state().name()).isEqualTo("RETIRED");
        assertThat(after).filteredOn(k -> k.state().name().equals("NEXT")).singleElement()
                .extracting(RunIdentityEngine.KeyInfo::kid).isNotIn(next, active);
        assertThat(engine.publishedKeys("corp").getKeys()).hasSize(3);
        // the other issuer is untouched
        assertThat(states(RunIdentityAuditLink.issuerKeys(engine).get(1))).containsExactlyInAnyOrder("ACTIVE", "NEXT");
        assertThat(engine.auditRecords(r -> "key-activated".equals(r.type()) && next.equals(r.string("kid")))).hasSize(1);
    }

    @Test
    public void unknownIssuerIsRefused() {
        assertThatThrownBy(() -> RunIdentityAuditLink.rotate(engine, "nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown issuer");
    }

    @Test
    public void onlyInstantsAreRepeatedFromTheQuery() {
        RunIdentityAuditLink link = new RunIdentityAuditLink();
        assertThat(link.instant("2026-12-03T17:05:00Z")).isEqualTo("2026-12-03T17:05:00Z");
        assertThat(link.instant("<script>alert(1)</script>")).isEqualTo("?");
        assertThat(link.instant(null)).isEqualTo("?");
    }
}
