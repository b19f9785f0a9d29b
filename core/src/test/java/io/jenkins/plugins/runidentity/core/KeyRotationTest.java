package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;

/** Automatic and forced rotation, driven by a hand-moved clock. */
public class KeyRotationTest extends EngineFixture {
    private static final Duration PERIOD = Duration.ofHours(1);
    private static final Duration LEAD = Duration.ofSeconds(IssuerEndpoints.CACHE_SECONDS);
    /** Longest template ttl usable with corp (1h) + leeway (60s) + the ring's margin (60s). */
    private static final Duration RETENTION = Duration.ofHours(1).plusMinutes(2);

    @Override
    protected EngineConfig config() {
        return Fixtures.config(PERIOD);
    }

    @Override
    protected Instant startTime() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private String mintKid() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
        return JWSObject.parse(s.token().revealSerialized()).getHeader().getKeyID();
    }

    private String kidIn(StoredKey.State state) {
        return engine.keys("corp").stream().filter(k -> k.state() == state).map(RunIdentityEngine.KeyInfo::kid)
                .reduce((a, b) -> b).orElse(null);
    }

    private List<String> published() {
        return engine.publishedKeys("corp").getKeys().stream().map(JWK::getKeyID).toList();
    }

    private List<String> auditOf(String type) {
        return engine.auditRecords(r -> r.type().equals(type) && "corp".equals(r.string("issuer"))).stream()
                .map(r -> r.string("kid")).toList();
    }

    @Test
    public void aNewIssuerSignsWithOneKeyAndAlreadyPublishesTheNext() throws Exception {
        String active = kidIn(StoredKey.State.ACTIVE);
        String next = kidIn(StoredKey.State.NEXT);
        assertThat(active).isNotNull().isNotEqualTo(next);
        assertThat(next).isNotNull();
        assertThat(published()).containsExactly(active, next);
        assertThat(mintKid()).isEqualTo(active);
        assertThat(auditOf(AuditEvent.KEY_PUBLISHED)).containsExactly(active, next);
        assertThat(auditOf(AuditEvent.KEY_ACTIVATED)).containsExactly(active);
        // kid is the RFC 7638 thumbprint of every published key
        for (JWK k : engine.publishedKeys("corp").getKeys()) {
            assertThat(k.getKeyID()).isEqualTo(k.computeThumbprint().toString());
        }
    }

    @Test
    public void theRotationPeriodActivatesThePublishedNextKeyAndRetiresTheOld() throws Exception {
        String first = kidIn(StoredKey.State.ACTIVE);
        String second = kidIn(StoredKey.State.NEXT);
        clock.advance(PERIOD.minusSeconds(1));
        assertThat(mintKid()).as("one second before the period ends").isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(mintKid()).as("when the period ends").isEqualTo(second);
        String third = kidIn(StoredKey.State.NEXT);
        assertThat(third).isNotIn(first, second);
        assertThat(kidIn(StoredKey.State.RETIRED)).isEqualTo(first);
        assertThat(published()).containsExactly(first, second, third);
        assertThat(auditOf(AuditEvent.KEY_RETIRED)).containsExactly(first);
        assertThat(auditOf(AuditEvent.KEY_ACTIVATED)).containsExactly(first, second);
        assertThat(auditOf(AuditEvent.KEY_PUBLISHED)).containsExactly(first, second, third);
    }

    /**
     * Lowering the templates' maximum lifetime after a long token was signed shortens how long the configuration says
     * a retired key is needed, but the key stays published until the tokens the log shows it signed have expired.
     */
    @Test
    public void loweringTheMaximumTtlNeverUnpublishesAKeyThatLiveTokensNeed() throws Exception {
        String first = kidIn(StoredKey.State.ACTIVE);
        clock.advance(PERIOD.minusMinutes(1));
        Session longest = engine.openSession(MintRequest.of("corp", "default").withTtl("1h"), Fixtures.run("a", 1), "test");
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(1));
        mintKid(); // rotates: the first key is retired now
        EngineConfig shorter = new EngineConfig(config().issuers(), config().templates().stream()
                .map(t -> ScopeTemplate.builder(t.id()).audiences(t.audiences().toArray(String[]::new))
                        .allowedJobs("**").issuers(t.issuers().toArray(String[]::new))
                        .defaultTtl(Duration.ofMinutes(1)).maxTtl(Duration.ofMinutes(1)).build())
                .toList());
        engine.reconfigure(shorter);
        // The configuration alone would allow removal after 5 minutes (status lists) + leeway + margin.
        clock.advance(Duration.ofMinutes(30));
        mintKid();
        assertThat(published()).as("30 minutes after retirement; the long token lives 29 more").contains(first);
        assertThat(engine.introspect("corp", longest.token().revealSerialized())).isPresent();
        restart(); // what the ledger knows comes from the log, so a restart keeps it
        clock.advance(Duration.between(clock.instant(), exp).plusMinutes(2).minusSeconds(1));
        mintKid();
        assertThat(published()).as("until exp + leeway + margin").contains(first);
        clock.advance(Duration.ofSeconds(1));
        mintKid();
        assertThat(published()).doesNotContain(first);
        assertThat(auditOf(AuditEvent.KEY_REMOVED)).containsExactly(first);
    }

    @Test
    public void aRetiredKeyStaysPublishedUntilEveryTokenItSignedHasExpired() throws Exception {
        String first = kidIn(StoredKey.State.ACTIVE);
        clock.advance(PERIOD.minusMinutes(1));
        // the longest token the first key can sign: the template maximum, one minute before it retires
        Session longest = engine.openSession(MintRequest.of("corp", "default").withTtl("1h"), Fixtures.run("a", 1), "test");
        assertThat(JWSObject.parse(longest.token().revealSerialized()).getHeader().getKeyID()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(1));
        mintKid(); // rotates
        Instant retired = clock.instant();
        assertThat(engine.introspect("corp", longest.token().revealSerialized())).as("signed by the retired key").isPresent();
        clock.advance(RETENTION.minusSeconds(1));
        assertThat(published()).contains(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(published()).doesNotContain(first);
        assertThat(auditOf(AuditEvent.KEY_REMOVED)).containsExactly(first);
        assertThat(engine.keys("corp")).noneMatch(k -> k.kid().equals(first));
        assertThat(clock.instant()).isEqualTo(retired.plus(RETENTION));
    }

    @Test
    public void aForcedRotationNeverActivatesAKeyPublishedForLessThanOneCachePeriod() throws Exception {
        // Table: seconds since the next key was published -> whether rotateKeys may activate it.
        long[][] table = {{0, 0}, {LEAD.getSeconds() - 1, 0}, {LEAD.getSeconds(), 1}};
        for (long[] row : table) {
            engine.close();
            dir = tmp.newFolder().toPath();
            engine = Fixtures.engine(Fixtures.config(PERIOD), dir, clock);
            Instant published = clock.instant();
            String active = kidIn(StoredKey.State.ACTIVE);
            String next = kidIn(StoredKey.State.NEXT);
            clock.advance(Duration.ofSeconds(row[0]));
            KeyRotation r = engine.rotateKeys("corp");
            assertThat(r.rotated()).as("after %ss", row[0]).isEqualTo(row[1] == 1);
            if (r.rotated()) {
                assertThat(r.retiredKid()).isEqualTo(active);
                assertThat(r.activeKid()).isEqualTo(next);
                assertThat(r.nextKid()).isNotIn(active, next);
                assertThat(mintKid()).isEqualTo(next);
                assertThat(engine.auditRecords(x -> x.type().equals(AuditEvent.KEY_ACTIVATED) && "corp".equals(x.string("issuer")))
                        .get(1).string("reason"))
                        .isEqualTo("forced rotation");
            } else {
                assertThat(r.activeKid()).isEqualTo(active);
                assertThat(r.earliest()).isEqualTo(published.plus(LEAD));
                assertThat(mintKid()).isEqualTo(active);
                assertThat(auditOf(AuditEvent.KEY_RETIRED)).isEmpty();
            }
        }
    }

    @Test
    public void rotationSurvivesARestartAndNeverRegeneratesKeys() throws Exception {
        clock.advance(PERIOD);
        mintKid();
        List<RunIdentityEngine.KeyInfo> before = engine.keys("corp");
        assertThat(before).extracting(RunIdentityEngine.KeyInfo::state)
                .containsExactly(StoredKey.State.RETIRED, StoredKey.State.ACTIVE, StoredKey.State.NEXT);
        restart();
        assertThat(engine.keys("corp")).isEqualTo(before);
        assertThat(auditOf(AuditEvent.KEY_PUBLISHED)).hasSize(3);
    }

    @Test
    public void processesSharingTheStateRotateOnceAndEachAuditsOnlyItsOwnChange() throws Exception {
        List<RunIdentityEngine> engines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            engines.add(Fixtures.engine(Fixtures.config(PERIOD), dir, clock));
        }
        try {
            clock.advance(PERIOD);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> kids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                RunIdentityEngine e = engines.get(i % engines.size());
                kids.add(pool.submit((Callable<String>) () -> JWSObject.parse(e.openSession(MintRequest.of("corp", "default"),
                        Fixtures.run("a", 1), "test").token().revealSerialized()).getHeader().getKeyID()));
            }
            List<String> signers = new ArrayList<>();
            for (Future<String> f : kids) {
                signers.add(f.get());
            }
            pool.shutdown();
            assertThat(auditOf(AuditEvent.KEY_ACTIVATED)).hasSize(2);
            assertThat(auditOf(AuditEvent.KEY_RETIRED)).hasSize(1);
            assertThat(auditOf(AuditEvent.KEY_PUBLISHED)).hasSize(3);
            assertThat(signers).containsOnly(auditOf(AuditEvent.KEY_ACTIVATED).get(1));
            clock.advance(LEAD);
            List<KeyRotation> forced = new ArrayList<>();
            for (RunIdentityEngine e : engines) {
                forced.add(e.rotateKeys("corp"));
            }
            assertThat(forced).filteredOn(KeyRotation::rotated).hasSize(1);
            assertThat(engine.verifyAudit().intact()).isTrue();
        } finally {
            engines.forEach(RunIdentityEngine::close);
        }
    }
}
