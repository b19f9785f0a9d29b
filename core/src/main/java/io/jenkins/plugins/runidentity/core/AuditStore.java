package io.jenkins.plugins.runidentity.core;

import java.io.Closeable;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Storage port for the audit log: an append-only, durable sequence of sealed records shared by every process
 * that uses the same state (a state directory today; a database table later).
 */
public interface AuditStore extends Closeable {

    /**
     * Sets the one listener that receives every record, in order, exactly once: the existing ones on the first
     * {@link #poll()}, then each new one whoever wrote it. The engine's projections (open sessions, revocations)
     * are built from it.
     */
    void subscribe(Consumer<AuditRecord> listener);

    /** Delivers records appended since the last delivery, by this process or any other. */
    void poll();

    /**
     * Appends under exclusive access across every writer: first delivers records others appended, then calls
     * {@code events} (which may read the projections, now current), seals what it returns onto the chain,
     * delivers those records, and returns only when they are durable. Concurrent callers may share one durable
     * write (group commit).
     *
     * @return the sealed records, in order
     * @throws StateException if the records could not be made durable (no caller may then act on them)
     */
    List<AuditRecord> append(Supplier<List<AuditEvent>> events);

    /** Every stored line from the first, as stored, for verification and queries. */
    void scan(Consumer<String> line);

    @Override
    void close();
}
