package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A thousand sessions open at once, opened, introspected and closed by many threads through two engines sharing one
 * state (as two processes would): nothing lost, nothing left open, every answer right.
 */
public class EngineLoadTest {
    static final int SESSIONS = 1_000;
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aThousandConcurrentSessionsLoseNothing() throws Exception {
        Path dir = tmp.newFolder().toPath();
        MutableClock clock = MutableClock.atNow();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (RunIdentityEngine a = Fixtures.engine(dir, clock); RunIdentityEngine b = Fixtures.engine(dir, clock)) {
            RunIdentityEngine[] engines = {a, b};
            List<Session> sessions = all(pool, i -> () -> engines[i % 2].openSession(MintRequest.of("corp", "default"),
                    Fixtures.run("load/" + (i % 10), i + 1), "owner-" + i));
            assertThat(a.openSessions()).hasSize(SESSIONS);
            assertThat(b.openSessions()).hasSize(SESSIONS);

            // Each is live, seen from the engine that did not open it.
            List<Boolean> live = all(pool, i -> () -> engines[(i + 1) % 2].introspect("corp", sessions.get(i).token().revealSerialized()).isPresent());
            assertThat(live).containsOnly(true);

            List<Integer> closed = all(pool, i -> () -> engines[(i + 1) % 2].closeSession(sessions.get(i).id(), CloseReason.BLOCK_COMPLETED));
            assertThat(closed).containsOnly(1);
            List<Boolean> after = all(pool, i -> () -> engines[i % 2].introspect("corp", sessions.get(i).token().revealSerialized()).isPresent());
            assertThat(after).containsOnly(false);

            assertThat(a.verifyAudit().intact()).isTrue();
            Set<String> jtis = new HashSet<>();
            sessions.forEach(s -> jtis.add(s.token().jti()));
            assertThat(jtis).hasSize(SESSIONS);
            List<AuditRecord> minted = a.auditRecords(r -> "minted".equals(r.type()));
            List<AuditRecord> revoked = a.auditRecords(r -> "revoked".equals(r.type()));
            Set<String> mintedJtis = new HashSet<>(minted.stream().map(r -> r.string("jti")).toList());
            Set<String> revokedJtis = new HashSet<>(revoked.stream().map(r -> r.string("jti")).toList());
            long lost = jtis.stream().filter(j -> !mintedJtis.contains(j) || !revokedJtis.contains(j)).count();
            assertThat(lost).as("records lost").isZero();
            assertThat(minted).hasSize(SESSIONS);
            assertThat(revoked).as("each token revoked exactly once").hasSize(SESSIONS);
            assertThat(a.openSessions()).isEmpty();
            assertThat(b.openSessions()).isEmpty();
            System.out.println("engine load: " + SESSIONS + " concurrent sessions through 2 engines and 16 threads; "
                    + minted.size() + " minted and " + revoked.size() + " revoked records, " + lost + " lost, 0 errors");
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> all(ExecutorService pool, IntFunction<Callable<T>> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            futures.add(pool.submit(task.apply(i)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(5, TimeUnit.MINUTES));
        }
        return out;
    }
}
