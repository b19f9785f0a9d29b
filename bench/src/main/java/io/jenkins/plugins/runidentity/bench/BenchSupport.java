package io.jenkins.plugins.runidentity.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import io.jenkins.plugins.runidentity.core.SigningAlgorithm;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

/** What every benchmark shares: one configuration, one run's facts, and claims shaped like the engine's. */
final class BenchSupport {
    static final String RS_URL = "https://ci.example.com/run-identity/rs";
    static final String ES_URL = "https://ci.example.com/run-identity/es";

    private BenchSupport() {}

    /** Two issuers (RS256 "rs", ES256 "es") and one template both may use. */
    static EngineConfig config() {
        return new EngineConfig(
                List.of(IssuerConfig.of("rs", RS_URL), new IssuerConfig("es", ES_URL, SigningAlgorithm.ES256, null)),
                List.of(ScopeTemplate.builder("default").audiences("vault").scope("deploy", "read").allowedJobs("**")
                        .issuers("rs", "es").build()));
    }

    static String issuerId(String alg) {
        return alg.equals("RS256") ? "rs" : "es";
    }

    static MintRequest request(String alg) {
        return MintRequest.of(issuerId(alg), "default");
    }

    static RunFacts facts() {
        return RunFacts.builder("payments/deploy", 1234).branch("main").buildUrl("https://ci.example.com/job/payments/job/deploy/1234/")
                .node("agent-7").cause("push by alice").controller("ci.example.com").build();
    }

    static RunIdentityEngine engine(Path dir) {
        return RunIdentityEngine.start(config(), FileStateStore.open(dir, Clock.systemUTC()), Clock.systemUTC());
    }

    /** The claims the engine puts into a token for {@link #facts()}, built directly with Nimbus. */
    static JWTClaimsSet claims(String alg) {
        Instant now = Instant.now();
        RunFacts f = facts();
        return new JWTClaimsSet.Builder().issuer(alg.equals("RS256") ? RS_URL : ES_URL).subject("job:" + f.job())
                .audience(List.of("vault")).issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(30)))
                .expirationTime(Date.from(now.plusSeconds(600))).jwtID(randomId(16)).claim("scope", "deploy read")
                .claim("session", randomId(12)).claim("template", "default").claim("job", f.job())
                .claim("build_number", f.buildNumber()).claim("run_id", f.runId()).claim("build_url", f.buildUrl())
                .claim("branch", f.branch()).claim("node", f.node()).claim("cause", f.cause())
                .claim("controller", f.controller()).build();
    }

    static JWSHeader header(String alg, String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A fresh folder next to the working directory (on the same file system as a real state folder). */
    static Path tempDir(String name) {
        try {
            Path base = Path.of(System.getProperty("bench.dir", "target/bench-state"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
