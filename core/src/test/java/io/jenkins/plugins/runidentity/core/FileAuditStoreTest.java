package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileAuditStoreTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private static AuditEvent event(String jti) {
        return AuditEvent.of("minted", Instant.now()).put("jti", jti).build();
    }

    @Test
    public void concurrentAppendersFromTwoStoresLoseNothing() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (FileStateStore a = FileStateStore.open(dir, Clock.systemUTC()); FileStateStore b = FileStateStore.open(dir, Clock.systemUTC())) {
            List<AuditRecord> seenByA = Collections.synchronizedList(new ArrayList<>());
            a.audit().subscribe(seenByA::add);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                FileStateStore s = i % 2 == 0 ? a : b;
                String jti = "j" + i;
                futures.add(pool.submit(() -> s.audit().append(() -> List.of(event(jti)))));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            a.audit().poll();
            assertThat(seenByA).hasSize(400);
            assertThat(seenByA.stream().map(r -> r.string("jti")).distinct().count()).isEqualTo(400);
            List<String> lines = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(lines).hasSize(400);
            assertThat(AuditChain.verify(lines.iterator()).intact()).isTrue();
        }
    }

    @Test
    public void aTornLastLineIsCutOffByTheNextWriterAndRecorded() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (FileStateStore s = FileStateStore.open(dir, Clock.systemUTC())) {
            s.audit().append(() -> List.of(event("a")));
        }
        byte[] torn = "{\"seq\":2,\"time\":\"20".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("audit.log"), torn, StandardOpenOption.APPEND);
        try (FileStateStore s = FileStateStore.open(dir, Clock.systemUTC())) {
            // Verification before any writer came by (audit verify right after a crash) sees the one whole record.
            AuditChain.Checker checker = new AuditChain.Checker();
            s.audit().scan(checker::accept);
            assertThat(checker.result().intact()).as(checker.result().describe()).isTrue();
            assertThat(checker.result().goodRecords()).isEqualTo(1);
            List<AuditRecord> seen = new ArrayList<>();
            s.audit().subscribe(seen::add);
            s.audit().poll(); // a reader leaves an unfinished line alone: a writer may still be finishing it
            assertThat(seen).hasSize(1);
            s.audit().append(() -> List.of(event("b")));
            assertThat(seen).extracting(AuditRecord::type).containsExactly("minted", "log-repaired", "minted");
            assertThat(seen.get(1).number("discarded_bytes")).isEqualTo(torn.length);
        }
        assertThat(AuditChain.verify(Files.readAllLines(dir.resolve("audit.log")).iterator()).intact()).isTrue();
    }

    @Test
    public void aDamagedLogStopsTheStoreWithTheLineNamed() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (FileStateStore s = FileStateStore.open(dir, Clock.systemUTC())) {
            s.audit().append(() -> List.of(event("a"), event("b"), event("c")));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("audit.log")));
        lines.set(1, lines.get(1).replace("\"b\"", "\"B\""));
        Files.write(dir.resolve("audit.log"), lines);
        try (FileStateStore s = FileStateStore.open(dir, Clock.systemUTC())) {
            assertThatThrownBy(() -> s.audit().poll()).isInstanceOf(StateException.class)
                    .hasMessageContaining("damaged at line 2").hasMessageContaining("audit verify");
            assertThatThrownBy(() -> s.audit().append(() -> List.of(event("d")))).isInstanceOf(StateException.class);
        }
        assertThat(Files.readAllLines(dir.resolve("audit.log"))).hasSize(3);
    }

    @Test
    public void aFailingEventSupplierFailsOnlyItsOwnAppend() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (FileStateStore s = FileStateStore.open(dir, Clock.systemUTC())) {
            assertThatThrownBy(() -> s.audit().append(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(StateException.class).hasMessageContaining("boom");
            assertThat(s.audit().append(() -> List.of(event("ok")))).hasSize(1);
        }
    }
}
