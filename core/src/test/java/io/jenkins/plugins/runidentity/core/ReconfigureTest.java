package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/** A new configuration applied to a running engine: what changes at once, and what must stay. */
public class ReconfigureTest extends EngineFixture {

    private static final IssuerConfig SPARE = new IssuerConfig("spare", "https://ci.example.com/run-identity/spare",
            SigningAlgorithm.ES256, null);

    private Session deploy() {
        return engine.openSession(MintRequest.of("corp", "deploy").withAudience("vault"), Fixtures.run("payments/api", 3),
                "owner-1");
    }

    /** The usual configuration with template deploy replaced, and issuer spare added. */
    private static EngineConfig withDeploy(ScopeTemplate deploy) {
        EngineConfig usual = Fixtures.config();
        return new EngineConfig(
                List.of(usual.issuers().get(0), usual.issuers().get(1), SPARE),
                List.of(usual.template("default").orElseThrow(), deploy, usual.template("edge").orElseThrow()));
    }

    private static ScopeTemplate.Builder deployTemplate() {
        return ScopeTemplate.builder("deploy").audiences("vault", "aws").scope("deploy", "read")
                .subject("job:${job}:branch:${branch}").allowedJobs("payments/**").issuers("corp");
    }

    @Test
    public void newSettingsApplyAtOnceAndKeysAndSessionsStay() {
        List<RunIdentityEngine.KeyInfo> keysBefore = engine.keys("corp");
        Session open = deploy();
        String token = open.token().revealSerialized();

        engine.reconfigure(withDeploy(deployTemplate().defaultTtl(Duration.ofMinutes(2)).maxTtl(Duration.ofMinutes(2)).build()));

        assertThat(engine.config().issuerIds()).containsExactly("corp", "edge", "spare");
        assertThat(engine.keys("corp")).as("same keys, same states").isEqualTo(keysBefore);
        assertThat(engine.introspect("corp", token)).as("tokens minted before stay valid").isPresent();
        Session refreshed = engine.refresh(open.id());
        assertThat(Duration.between(refreshed.token().issuedAt(), refreshed.token().expiresAt()))
                .as("refresh decided against the new template").isEqualTo(Duration.ofMinutes(2));
        assertThat(engine.keys("spare")).as("a new issuer gets its keys at once").extracting(k -> k.state().name())
                .containsExactlyInAnyOrder("ACTIVE", "NEXT");
        assertThat(engine.publishedKeys("spare").getKeys()).hasSize(2);
        assertThat(engine.closeSession(open.id(), CloseReason.BLOCK_COMPLETED)).isEqualTo(2);
        assertThat(engine.introspect("corp", token)).isEmpty();
    }

    @Test
    public void aNarrowedTemplateRefusesAtOnce() {
        Session open = deploy();

        engine.reconfigure(withDeploy(deployTemplate().allowedJobs("release/**").build()));

        assertThatThrownBy(this::deploy).isInstanceOf(RequestDeniedException.class).hasMessageContaining("payments/api");
        assertThatThrownBy(() -> engine.refresh(open.id())).isInstanceOf(RequestDeniedException.class);
        assertThat(engine.auditRecords(r -> AuditEvent.DENIED.equals(r.type()))).hasSize(2);
    }

    @Test
    public void aRemovedIssuerIsUnknownButItsKeysStayForWhenItComesBack() {
        List<RunIdentityEngine.KeyInfo> edgeKeys = engine.keys("edge");
        EngineConfig usual = Fixtures.config();
        EngineConfig corpOnly = new EngineConfig(List.of(usual.issuers().get(0)),
                List.of(usual.template("default").orElseThrow(), usual.template("deploy").orElseThrow()));

        engine.reconfigure(corpOnly);

        assertThatThrownBy(() -> engine.keys("edge")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown issuer 'edge'");
        engine.reconfigure(usual);
        assertThat(engine.keys("edge")).isEqualTo(edgeKeys);
    }

    @Test
    public void theSameSettingsChangeNothingAndWriteNoAudit() {
        deploy();
        long records = engine.auditRecords(r -> true).size();
        List<RunIdentityEngine.KeyInfo> keys = engine.keys("corp");

        engine.reconfigure(Fixtures.config());

        assertThat(engine.keys("corp")).isEqualTo(keys);
        assertThat(engine.auditRecords(r -> true)).hasSize((int) records);
    }

    @Test
    public void mintsDuringReconfigurationAllSucceedUnderOneConfigurationOrTheOther() throws Exception {
        EngineConfig a = withDeploy(deployTemplate().defaultTtl(Duration.ofMinutes(3)).maxTtl(Duration.ofMinutes(3)).build());
        EngineConfig b = withDeploy(deployTemplate().defaultTtl(Duration.ofMinutes(7)).maxTtl(Duration.ofMinutes(7)).build());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> flipping = pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    engine.reconfigure(i % 2 == 0 ? a : b);
                }
            });
            Future<List<Duration>> minting = pool.submit(() -> {
                List<Duration> ttls = new java.util.ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    IssuedToken t = deploy().token();
                    ttls.add(Duration.between(t.issuedAt(), t.expiresAt()));
                }
                return ttls;
            });
            List<Duration> ttls = minting.get(60, TimeUnit.SECONDS);
            stop.set(true);
            flipping.get(60, TimeUnit.SECONDS);
            assertThat(ttls).hasSize(40).allMatch(d -> d.equals(Duration.ofMinutes(3)) || d.equals(Duration.ofMinutes(7))
                    || d.equals(Duration.ofMinutes(5)));
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(engine.verifyAudit().intact()).isTrue();
    }
}
