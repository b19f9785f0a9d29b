package io.jenkins.plugins.runidentity.core;

import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Configurations and engines the tests share. */
public final class Fixtures {
    public static final String ISSUER_URL = "https://ci.example.com/run-identity/corp";

    private Fixtures() {}

    public static EngineConfig config() {
        return config(IssuerConfig.DEFAULT_ROTATION);
    }

    /** The usual configuration with issuer corp rotating its key every {@code rotation}. */
    public static EngineConfig config(Duration rotation) {
        return config(new IssuerConfig("corp", ISSUER_URL, SigningAlgorithm.RS256, rotation));
    }

    /** The usual templates with {@code corp} replaced. */
    public static EngineConfig config(IssuerConfig corp) {
        return new EngineConfig(List.of(corp,
                new IssuerConfig("edge", "https://ci.example.com/run-identity/edge", SigningAlgorithm.ES256, null)),
                List.of(ScopeTemplate.builder("default").audiences("run-identity").scope("run").allowedJobs("**")
                                .issuers("corp").build(),
                        ScopeTemplate.builder("deploy").description("deploys").audiences("vault", "aws").scope("deploy", "read")
                                .subject("job:${job}:branch:${branch}").claim("team", "payments")
                                .defaultTtl(Duration.ofMinutes(5)).maxTtl(Duration.ofMinutes(30))
                                .allowedJobs("payments/**").allowedBranches("main", "release-*").issuers("corp").build(),
                        ScopeTemplate.builder("edge").audiences("edge").allowedJobs("**").issuers("edge").build()));
    }

    public static RunIdentityEngine engine(Path dir, Clock clock) {
        return RunIdentityEngine.start(config(), FileStateStore.open(dir, clock), clock);
    }

    public static RunIdentityEngine engine(EngineConfig config, Path dir, Clock clock) {
        return RunIdentityEngine.start(config, FileStateStore.open(dir, clock), clock);
    }

    public static RunFacts run(String job, long n) {
        return RunFacts.builder(job, n).branch("main").buildUrl("https://ci.example.com/job/" + job + "/" + n + "/").build();
    }
}
