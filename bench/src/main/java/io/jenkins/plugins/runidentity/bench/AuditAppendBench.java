package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable audit appends through the file store: each call seals one ~300-byte {@code minted}-shaped record onto
 * the chain and returns only after fdatasync. Callers that arrive together share one lock and one sync (group
 * commit), so throughput should grow with the number of waiting threads even on two cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditAppendBench extends BenchFixture {
    private FileStateStore store;

    @Override
    protected void prepare() {
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

    @Override
    protected void release() {
        store.close();
    }
}
