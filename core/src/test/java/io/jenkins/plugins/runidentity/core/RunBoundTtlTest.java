package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** A template bound by the run caps exp at the run's deadline, and never grants more than its own maximum. */
public class RunBoundTtlTest extends EngineFixture {
    @Override
    protected Instant startTime() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    protected EngineConfig config() {
        return new EngineConfig(List.of(IssuerConfig.of("corp", Fixtures.ISSUER_URL)), List.of(
                ScopeTemplate.builder("bound").audiences("a").allowedJobs("**").defaultTtl(Duration.ofMinutes(10))
                        .maxTtl(Duration.ofMinutes(30)).boundByRun(true).build(),
                ScopeTemplate.builder("free").audiences("a").allowedJobs("**").defaultTtl(Duration.ofMinutes(10)).build()));
    }

    @Test
    public void expIsTheEarlierOfTtlAndDeadlineForBoundTemplatesOnly() {
        // template, requested ttl, deadline from now (null: unknown), expected lifetime
        Object[][] table = {
                {"bound", null, null, Duration.ofMinutes(10)},
                {"bound", null, Duration.ofMinutes(5), Duration.ofMinutes(5)},
                {"bound", null, Duration.ofHours(2), Duration.ofMinutes(10)},
                {"bound", "30m", Duration.ofMinutes(20), Duration.ofMinutes(20)},
                {"bound", "30m", Duration.ofHours(2), Duration.ofMinutes(30)},
                {"bound", null, Duration.ofMillis(90_500), Duration.ofSeconds(90)}, // deadline rounds down, never up
                {"free", null, Duration.ofMinutes(5), Duration.ofMinutes(10)},
        };
        for (Object[] row : table) {
            RunFacts.Builder facts = RunFacts.builder("job", 1);
            if (row[2] != null) {
                facts.deadline(clock.instant().plus((Duration) row[2]));
            }
            Session s = engine.openSession(new MintRequest("corp", (String) row[0], null, null, (String) row[1]), facts.build(), "t");
            assertThat(Duration.between(s.token().issuedAt(), s.token().expiresAt())).as("%s ttl=%s deadline=+%s", row)
                    .isEqualTo(row[3]);
            Map<String, Object> claims = engine.introspect("corp", s.token().revealSerialized()).orElseThrow().claims();
            assertThat(claims.get("exp")).isEqualTo(s.token().expiresAt().getEpochSecond());
        }
    }

    @Test
    public void aRunPastItsDeadlineGetsNothingAndTheRefusalIsAudited() {
        RunFacts late = RunFacts.builder("job", 1).deadline(clock.instant()).build();
        assertThatThrownBy(() -> engine.openSession(MintRequest.of("corp", "bound"), late, "t"))
                .isInstanceOf(RequestDeniedException.class).hasMessageContaining("reached its time limit");
        assertThat(engine.auditRecords(r -> r.type().equals(AuditEvent.DENIED))).hasSize(1);
        assertThat(engine.auditRecords(r -> r.type().equals(AuditEvent.MINTED))).isEmpty();
    }

    @Test
    public void refreshesStopAtTheDeadline() {
        RunFacts facts = RunFacts.builder("job", 1).deadline(clock.instant().plus(Duration.ofMinutes(15))).build();
        Session s = engine.openSession(MintRequest.of("corp", "bound"), facts, "t");
        clock.advance(Duration.ofMinutes(8));
        Session r = engine.refresh(s.id());
        assertThat(r.token().expiresAt()).isEqualTo(facts.deadline());
        clock.advance(Duration.ofMinutes(7));
        assertThatThrownBy(() -> engine.refresh(s.id())).isInstanceOf(RequestDeniedException.class);
    }

    @Test
    public void theConfigurationDocumentReadsBoundByRun() {
        Object[][] table = {{true, true}, {"false", false}, {null, false}};
        for (Object[] row : table) {
            Map<String, Object> template = new java.util.HashMap<>(Map.of("id", "t", "audiences", "a", "allowedJobs", "**"));
            if (row[0] != null) {
                template.put("boundByRun", row[0]);
            }
            EngineConfig c = ConfigDocument.read(Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "corp", "url",
                    Fixtures.ISSUER_URL)), "templates", List.of(template))));
            assertThat(c.templates().get(0).boundByRun()).isEqualTo(row[1]);
        }
        assertThatThrownBy(() -> ConfigDocument.read(Map.of("runIdentity", Map.of("issuers", List.of(Map.of("id", "corp",
                "url", Fixtures.ISSUER_URL)), "templates", List.of(Map.of("id", "t", "audiences", "a", "allowedJobs", "**",
                "boundByRun", "yes"))))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("runIdentity.templates[0].boundByRun must be true or false");
    }
}
