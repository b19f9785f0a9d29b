package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable audit appends through the file store: each call seals one ~300-byte {@code minted}-shaped record onto
 * the chain and returns only after fdatasync. Callers that arrive together share one lock and one sync (group
 * commit), so throughput should grow with the number of waiting threads even on two cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class AuditAppendBench {
    private Path dir;
    private FileStateStore store;

    @Setup
    public void setUp() {
        dir = BenchSupport.tempDir("audit");
        store = FileStateStore.open(dir, Clock.systemUTC());
        store.audit().poll();
    }

    private List<AuditRecord> appendOne() {
        return store.audit().append(() -> List.of(AuditEvent.of(AuditEvent.MINTED, Instant.now()).put("issuer", "rs")
                .put("template", "default").put("session", "q3m2CkKfF1wVbJ9x").put("jti", "Xb9d0Jm3u3H6cFZrZ9B3wQ")
                .put("sub", "job:payments/deploy").put("aud", List.of("vault")).put("scope", "deploy read")
                .put("job", "payments/deploy").put("build", 1234L).put("run", "payments/deploy#1234")
                .put("iat", 1_790_000_000L).put("exp", 1_790_000_600L).put("kid", "k-2026-12-03").put("owner", "bench").build()));
    }

    @Benchmark
    @Threads(1)
    public List<AuditRecord> append1Thread() {
        return appendOne();
    }

    @Benchmark
    @Threads(2)
    public List<AuditRecord> append2Threads() {
        return appendOne();
    }

    @Benchmark
    @Threads(8)
    public List<AuditRecord> append8Threads() {
        return appendOne();
    }

    @TearDown
    public void tearDown() {
        store.close();
        BenchSupport.delete(dir);
    }
}
