package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up of an engine over a 1,000,000-event audit log: every line read, hash-checked, chained and applied to the
 * ledger. The log is {@value #EVENTS} events shaped as real runs leave them — run-started, minted, revoked — and is
 * written once to {@code target/bench-state/replay-1m} and reused by later runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReplayBench {
    static final int EVENTS = 1_000_000;

    private Path dir;

    @Setup
    public void setUp() {
        dir = Path.of(System.getProperty("bench.dir", "target/bench-state")).resolve("replay-1m").toAbsolutePath();
        if (!Files.exists(dir.resolve("complete"))) {
            generate(dir);
        }
    }

    static void generate(Path dir) {
        BenchSupport.delete(dir);
        // Keys first (an engine start), then the runs, 1000 events per durable batch.
        BenchSupport.engine(dir).close();
        try (FileStateStore store = FileStateStore.open(dir, Clock.systemUTC())) {
            store.audit().poll();
            long[] written = {Files.readAllLines(dir.resolve("audit.log")).size()};
            long exp = Instant.now().plusSeconds(24 * 3600).getEpochSecond();
            long build = 0;
            while (written[0] < EVENTS) {
                List<AuditEvent> batch = new ArrayList<>();
                while (batch.size() < 999 && written[0] + batch.size() < EVENTS) {
                    build++;
                    Instant now = Instant.now();
                    String job = "team-" + (build % 50) + "/app";
                    String session = BenchSupport.randomId(12);
                    String jti = BenchSupport.randomId(16);
                    batch.add(AuditEvent.of(AuditEvent.RUN_STARTED, now).put("job", job).put("build", build)
                            .put("owner", "pid:1234:5678@agent-7").build());
                    batch.add(AuditEvent.of(AuditEvent.MINTED, now).put("issuer", "rs").put("template", "default")
                            .put("session", session).put("jti", jti).put("sub", "job:" + job).put("aud", List.of("vault"))
                            .put("scope", "deploy read").put("job", job).put("build", build).put("run", job + "#" + build)
                            .put("iat", now.getEpochSecond()).put("exp", exp).put("kid", "bench-key").put("owner", "pid:1234:5678@agent-7").build());
                    batch.add(AuditEvent.of(AuditEvent.REVOKED, now).put("issuer", "rs").put("session", session).put("jti", jti)
                            .put("job", job).put("build", build).put("exp", exp).put("reason", "block-completed").build());
                }
                int n = batch.size();
                store.audit().append(() -> batch.subList(0, Math.min(n, (int) (EVENTS - written[0]))));
                written[0] += Math.min(n, EVENTS - written[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(dir.resolve("complete"), EVENTS + " events\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public RunIdentityEngine replay1M() {
        RunIdentityEngine engine = BenchSupport.engine(dir);
        engine.close();
        return engine;
    }
}
