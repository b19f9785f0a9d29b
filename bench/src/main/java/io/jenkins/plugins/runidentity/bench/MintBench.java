package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full mint through the engine: policy, claims, signature, the {@code minted} record sealed onto the chain and
 * fdatasync'd before return, and the ledger updated. Compare with {@link CryptoFloorBench#rawSign()} plus
 * {@link AppendFloorBench#rawAppendFdatasync()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class MintBench {
    @Param({"RS256", "ES256"})
    public String alg;

    private Path dir;
    private RunIdentityEngine engine;
    private MintRequest request;
    private RunFacts facts;

    @Setup
    public void setUp() {
        dir = BenchSupport.tempDir("mint");
        engine = BenchSupport.engine(dir);
        request = BenchSupport.request(alg);
        facts = BenchSupport.facts();
    }

    @Benchmark
    public Session mint() {
        return engine.openSession(request, facts, "bench");
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Session mint2Threads() {
        return engine.openSession(request, facts, "bench");
    }

    @TearDown
    public void tearDown() {
        engine.close();
        BenchSupport.delete(dir);
    }
}
