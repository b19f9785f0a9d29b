package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.Session;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * A full mint through the engine: policy, claims, signature, the {@code minted} record sealed onto the chain and
 * fdatasync'd before return, and the ledger updated. Compare with {@link CryptoFloorBench#rawSign()} plus
 * {@link AppendFloorBench#rawAppendFdatasync()}.
 */
public class MintBench extends EngineFixture {
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
}
