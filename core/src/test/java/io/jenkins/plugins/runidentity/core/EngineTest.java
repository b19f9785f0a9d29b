package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.Test;

public class EngineTest extends EngineFixture {

    @Test
    public void mintsTheDocumentedClaimSet() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "deploy"), Fixtures.run("payments/api", 7), "test");
        // Decode the payload by hand (no Nimbus claims parsing) to see the raw JSON types.
        String[] parts = s.token().revealSerialized().split("\\.");
        assertThat(parts).hasSize(3);
        Map<String, Object> header = com.nimbusds.jose.util.JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString());
        Map<String, Object> claims = com.nimbusds.jose.util.JSONObjectUtils.parse(new Base64URL(parts[1]).decodeToString());
        assertThat(header).containsOnlyKeys("alg", "kid", "typ").containsEntry("alg", "RS256").containsEntry("typ", "JWT");
        assertThat(claims.get("iss")).isEqualTo(Fixtures.ISSUER_URL);
        assertThat(claims.get("sub")).isEqualTo("job:payments/api:branch:main");
        assertThat(claims.get("aud")).isEqualTo(List.of("vault", "aws"));
        assertThat(claims.get("scope")).isEqualTo("deploy read");
        assertThat(claims.get("team")).isEqualTo("payments");
        assertThat(claims.get("job")).isEqualTo("payments/api");
        assertThat(claims.get("build_number")).isEqualTo(7L);
        assertThat(claims.get("branch")).isEqualTo("main");
        assertThat(claims.get("template")).isEqualTo("deploy");
        assertThat(claims.get("sid")).isEqualTo(s.id());
        for (String date : new String[] {"iat", "nbf", "exp"}) {
            assertThat(claims.get(date)).as(date).isInstanceOf(Long.class);
        }
        long iat = (Long) claims.get("iat");
        assertThat(iat).isEqualTo(clock.instant().getEpochSecond());
        assertThat((Long) claims.get("exp") - iat).isEqualTo(300);
        assertThat(iat - (Long) claims.get("nbf")).isEqualTo(30);
        String jti = (String) claims.get("jti");
        assertThat(Base64URL.from(jti).decode()).hasSize(16); // 128 random bits
        assertThat(s.token().jti()).isEqualTo(jti);
        assertThat(s.token().toString()).doesNotContain(s.token().revealSerialized());
        assertThat(JWSObject.parse(s.token().revealSerialized()).getHeader().getKeyID())
                .isEqualTo(engine.keys("corp").stream().filter(k -> k.state() == StoredKey.State.ACTIVE).findFirst().orElseThrow().kid());
    }

    @Test
    public void ecIssuersSignWithEs256() throws Exception {
        Session s = engine.openSession(MintRequest.of("edge", "edge"), Fixtures.run("any", 1), "test");
        assertThat(JWSObject.parse(s.token().revealSerialized()).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(engine.introspect("edge", s.token().revealSerialized())).isPresent();
        assertThat(engine.introspect("corp", s.token().revealSerialized())).isEmpty();
    }

    @Test
    public void keyIdIsTheRfc7638Thumbprint() throws Exception {
        var jwk = engine.publishedKeys("corp").getKeys().get(0);
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint("SHA-256").toString());
        assertThat(jwk.isPrivate()).isFalse();
        assertThat(jwk.toJSONObject()).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
    }

    @Test
    public void theMintedRecordIsDurableBeforeTheTokenIsReturned() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
        String log = Files.readString(dir.resolve("audit.log"));
        assertThat(log).contains("\"event\":\"minted\"").contains(s.token().jti());
    }

    @Test
    public void closingRevokesAndIsIdempotent() {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
        String token = s.token().revealSerialized();
        assertThat(engine.introspect("corp", token)).isPresent();
        assertThat(engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED)).isEqualTo(1);
        assertThat(engine.closeSession(s.id(), CloseReason.BLOCK_FAILED)).isZero();
        assertThat(engine.introspect("corp", token)).isEmpty();
        List<AuditRecord> revoked = engine.auditRecords(r -> r.type().equals("revoked"));
        assertThat(revoked).hasSize(1);
        assertThat(revoked.get(0).string("reason")).isEqualTo("block-completed");
        assertThat(revoked.get(0).string("jti")).isEqualTo(s.token().jti());
    }

    @Test
    public void expiredTokensAreInactive() {
        Session s = engine.openSession(MintRequest.of("corp", "default").withTtl("1m"), Fixtures.run("a", 1), "test");
        clock.advance(Duration.ofSeconds(59));
        assertThat(engine.introspect("corp", s.token().revealSerialized())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.introspect("corp", s.token().revealSerialized())).isEmpty();
    }

    @Test
    public void revocationsSurviveARestart() {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
        engine.closeSession(s.id(), CloseReason.ABORTED);
        List<String> kids = engine.keys("corp").stream().map(RunIdentityEngine.KeyInfo::kid).toList();
        restart();
        assertThat(engine.introspect("corp", s.token().revealSerialized())).isEmpty();
        // the keys are reused, never regenerated on reload
        assertThat(engine.keys("corp")).extracting(RunIdentityEngine.KeyInfo::kid).isEqualTo(kids);
    }

    @Test
    public void aSecondEngineOnTheSameStateSeesSessionsAtOnce() {
        try (RunIdentityEngine other = Fixtures.engine(dir, clock)) {
            Session s = other.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
            assertThat(engine.introspect("corp", s.token().revealSerialized())).isPresent();
            other.closeSession(s.id(), CloseReason.BLOCK_COMPLETED);
            assertThat(engine.introspect("corp", s.token().revealSerialized())).isEmpty();
            assertThat(engine.closeSession(s.id(), CloseReason.ABORTED)).isZero();
        }
    }

    @Test
    public void orphansAreClosedOnlyWhenTheirOwnerIsGone() {
        Session alive = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "owner-alive");
        Session dead = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 2), "owner-dead");
        assertThat(engine.closeOrphanedSessions(o -> o.equals("owner-dead"), CloseReason.ORPHANED)).isEqualTo(1);
        assertThat(engine.introspect("corp", dead.token().revealSerialized())).isEmpty();
        assertThat(engine.introspect("corp", alive.token().revealSerialized())).isPresent();
        assertThat(engine.auditRecords(r -> "orphaned".equals(r.string("reason")))).hasSize(1);
        assertThat(engine.openSessions()).containsOnlyKeys(alive.id());
    }

    @Test
    public void runNumbersAreAllocatedOnce() {
        RunFacts first = engine.startRun("batch", "me", b -> b);
        RunFacts second = engine.startRun("batch", "me", b -> b.node("here"));
        assertThat(first.buildNumber()).isEqualTo(1);
        assertThat(second.buildNumber()).isEqualTo(2);
        assertThat(second.node()).isEqualTo("here");
        assertThat(engine.startRun("other", "me", b -> b).buildNumber()).isEqualTo(1);
    }

    @Test
    public void fiftyMintsGiveFiftyDistinctIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= 50; i++) {
            ids.add(engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", i), "t").token().jti());
        }
        assertThat(ids).hasSize(50);
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    @Test
    public void deniedRequestsAreAuditedWithTheReasonAndMintNothing() {
        Object[][] cases = {
            {MintRequest.of("corp", "nope"), Fixtures.run("a", 1), "unknown template 'nope'; configured templates: default, deploy, edge"},
            {MintRequest.of("nope", "default"), Fixtures.run("a", 1), "unknown issuer 'nope'; configured issuers: corp, edge"},
            {MintRequest.of("edge", "default"), Fixtures.run("a", 1), "template 'default' may not be used with issuer 'edge'; allowed issuers: corp"},
            {MintRequest.of("corp", "deploy"), Fixtures.run("other/app", 1), "job 'other/app' may not use template 'deploy'; allowed jobs: payments/**"},
            {MintRequest.of("corp", "deploy"), RunFacts.builder("payments/x", 1).branch("feature").build(),
                "branch 'feature' of job 'payments/x' may not use template 'deploy'; allowed branches: main, release-*"},
            {MintRequest.of("corp", "deploy").withAudience("gcp"), Fixtures.run("payments/x", 1),
                "audience 'gcp' is not allowed by template 'deploy'; allowed audiences: vault, aws"},
            {MintRequest.of("corp", "deploy").withScope("read admin"), Fixtures.run("payments/x", 1),
                "scope 'admin' is not allowed by template 'deploy'; allowed scope: deploy read"},
            {MintRequest.of("corp", "deploy").withTtl("31m"), Fixtures.run("payments/x", 1),
                "ttl 31m exceeds the maximum of template 'deploy', 30m"},
            {MintRequest.of("corp", "deploy").withTtl("soon"), Fixtures.run("payments/x", 1), "ttl 'soon' is not a duration"},
            {MintRequest.of("corp", "deploy"), RunFacts.builder("payments/x", 1).build(),
                "branch (none) of job 'payments/x' may not use template 'deploy'"},
        };
        for (Object[] c : cases) {
            MintRequest req = (MintRequest) c[0];
            assertThatThrownBy(() -> engine.openSession(req, (RunFacts) c[1], "t")).as(req.toString())
                    .isInstanceOf(RequestDeniedException.class).hasMessageStartingWith((String) c[2]);
        }
        List<AuditRecord> denied = engine.auditRecords(r -> r.type().equals("denied"));
        assertThat(denied).hasSize(cases.length);
        assertThat(denied.get(0).string("reason")).startsWith("unknown template 'nope'");
        assertThat(engine.auditRecords(r -> r.type().equals("minted"))).isEmpty();
    }

    @Test
    public void aTemplateVariableTheRunLacksIsDenied() {
        EngineConfig c = new EngineConfig(List.of(IssuerConfig.of("corp", Fixtures.ISSUER_URL)),
                List.of(ScopeTemplate.builder("pr").audiences("x").allowedJobs("**").subject("pr:${change}").build()));
        try (RunIdentityEngine e = RunIdentityEngine.start(c, io.jenkins.plugins.runidentity.core.file.FileStateStore.open(
                dir.resolve("other"), clock), clock)) {
            assertThatThrownBy(() -> e.openSession(MintRequest.of(null, "pr"), Fixtures.run("a", 3), "t"))
                    .hasMessage("template 'pr' subject needs ${change}, which run 'a#3' does not have");
        }
    }

    @Test
    public void narrowingWorks() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "deploy").withAudience("aws").withScope("read").withTtl("90s"),
                Fixtures.run("payments/x", 1), "t");
        assertThat(s.token().audience()).containsExactly("aws");
        assertThat(s.token().scope()).containsExactly("read");
        assertThat(Duration.between(s.token().issuedAt(), s.token().expiresAt())).isEqualTo(Duration.ofSeconds(90));
        Map<String, Object> claims = JWSObject.parse(s.token().revealSerialized()).getPayload().toJSONObject();
        assertThat(claims.get("aud")).isEqualTo("aws");
    }

    @Test
    public void injectionInFactsStaysLiteral() throws Exception {
        // Line breaks and control characters are refused in job names (JobNameTest); a branch may still carry them.
        String job = "team/\"quoted\" ${branch}/ünï";
        String branch = "${job}\n\u0001";
        Session s = engine.openSession(MintRequest.of("corp", "default"), RunFacts.builder(job, 1).branch(branch).build(), "t");
        Map<String, Object> claims = JWSObject.parse(s.token().revealSerialized()).getPayload().toJSONObject();
        assertThat(claims.get("sub")).isEqualTo("job:" + job);
        assertThat(claims.get("job")).isEqualTo(job);
        assertThat(claims.get("branch")).isEqualTo(branch);
        List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
        assertThat(engine.verifyAudit().intact()).isTrue();
        assertThat(engine.identitiesOf(job, 1)).hasSize(1);
    }

    @Test
    public void identitiesOfARunShowRevocation() {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t");
        engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 2), "t");
        engine.closeSession(s.id(), CloseReason.RUN_FINISHED);
        List<IdentityRecord> ids = engine.identitiesOf("a", 1);
        assertThat(ids).hasSize(1);
        assertThat(ids.get(0).reason()).isEqualTo("run-finished");
        assertThat(ids.get(0).status(clock.instant())).isEqualTo("revoked");
        assertThat(engine.identitiesOf("a", 2).get(0).status(clock.instant())).isEqualTo("active");
    }

    @Test
    public void noTokenOrPrivateKeyOutsideItsOwnFiles() throws Exception {
        Session s = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t");
        engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED);
        String token = s.token().revealSerialized();
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String privateExponent = (String) Files.readString(dir.resolve("keys/corp.json")).replaceAll(".*\"d\":\"([^\"]+)\".*", "$1").trim();
        assertThat(privateExponent).hasSizeGreaterThan(100);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertThat(text).as(f.toString()).doesNotContain(token).doesNotContain(signature);
                if (!f.startsWith(dir.resolve("keys"))) {
                    assertThat(text).as(f.toString()).doesNotContain(privateExponent);
                }
            }
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("keys/corp.json")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    public void statusPositionsAreNeverSharedAcrossEnginesOrRestarts() throws Exception {
        Set<String> positions = new HashSet<>();
        int minted = 0;
        try (RunIdentityEngine other = Fixtures.engine(dir, clock)) {
            for (int i = 1; i <= 20; i++) {
                RunIdentityEngine e = i % 3 == 0 ? other : engine;
                positions.add(statusPosition(e.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", i), "t")));
                minted++;
            }
        }
        restart(); // reserved but unused positions of the closed engines stay unused
        positions.add(statusPosition(engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 99), "t")));
        minted++;
        assertThat(positions).hasSize(minted);
        assertThat(engine.auditRecords(r -> r.type().equals("status-reserved"))).isNotEmpty()
                .hasSizeLessThan(minted); // blocks, not one reservation per token
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static String statusPosition(Session s) throws Exception {
        Map<String, Object> status = (Map<String, Object>) JWSObject.parse(s.token().revealSerialized()).getPayload()
                .toJSONObject().get("status");
        Map<String, Object> list = (Map<String, Object>) status.get("status_list");
        return list.get("uri") + "#" + list.get("idx");
    }
}
