package io.jenkins.plugins.runidentity.core.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.AuditChain;
import io.jenkins.plugins.runidentity.core.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Threads that append at the same time share syncs. Each thread here appends in a loop, waiting for its previous
 * append to be durable, as minting threads do: before the fix a caller whose append another thread had written
 * still waited for the writer lock, behind the next batch, and eight such threads got about one fdatasync per
 * append (strace); now a caller returns as soon as its own append is durable.
 */
public class GroupCommitTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void threadsAppendingInALoopShareSyncs() throws Exception {
        Path dir = tmp.newFolder().toPath();
        int threads = 8, each = 50;
        try (FileStateStore store = FileStateStore.open(dir, Clock.systemUTC())) {
            FileAuditStore audit = (FileAuditStore) store.audit();
            audit.poll();
            long before = audit.syncs();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String jti = "t" + thread + "-" + i;
                        audit.append(() -> List.of(AuditEvent.of(AuditEvent.MINTED, Instant.now()).put("jti", jti).build()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long syncs = audit.syncs() - before;
            System.out.println("group commit: " + (threads * each) + " appends, " + syncs + " syncs");
            List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(lines).hasSize(threads * each);
            assertThat(AuditChain.verify(lines.iterator()).intact()).isTrue();
            assertThat(syncs).as("fdatasync calls for %d appends", threads * each).isPositive().isLessThanOrEqualTo(threads * each * 2L / 5);
        }
    }
}
