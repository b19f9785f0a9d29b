package io.jenkins.plugins.runidentity.core.file;

import io.jenkins.plugins.runidentity.core.AuditChain;
import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.AuditStore;
import io.jenkins.plugins.runidentity.core.StateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The audit log as a file of JSON lines ({@code audit.log}), shared by every process using the folder.
 *
 * <p>Writers take an exclusive lock on {@code audit.lock}, catch up with what others appended, append whole
 * lines and {@code fdatasync} before anyone acts on them. Threads of one process that append at the same time
 * share one lock and one sync (group commit). Readers need no lock: they consume whole lines only. A line left
 * torn by a writer that died mid-write is cut off by the next writer and the cut is itself recorded.
 */
final class FileAuditStore implements AuditStore {
    private static final int CHUNK = 1 << 20;
    /** Fewer lines than this (every ordinary catch-up) are parsed on the calling thread alone. */
    private static final int PARALLEL_PARSE_MIN = 512;

    private final Path logFile;
    private final Path lockFile;
    private final Clock clock;
    private final FileChannel log;
    private final FileChannel lock;
    private final ReentrantLock writer = new ReentrantLock();
    private final ReentrantLock jvmWide;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Who leads the next batch of appends; guards {@link #leading}. */
    private final ReentrantLock leadership = new ReentrantLock();
    private final java.util.concurrent.locks.Condition batchWritten = leadership.newCondition();
    private boolean leading;
    private volatile Thread leader;
    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

    // Guarded by writer.
    private Consumer<AuditRecord> listener = r -> { };
    private long position;
    private long lineNo;
    private AuditRecord last;
    private StateException failure;

    FileAuditStore(Path logFile, Path lockFile, Clock clock) throws IOException {
        this.logFile = logFile;
        this.lockFile = lockFile;
        this.clock = clock;
        this.log = PrivateFiles.open(logFile);
        this.lock = PrivateFiles.open(lockFile);
        this.jvmWide = JvmLocks.of(lockFile);
    }

    @Override
    public void subscribe(Consumer<AuditRecord> l) {
        writer.lock();
        try {
            this.listener = l;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void poll() {
        writer.lock();
        try {
            checkUsable();
            catchUp(false);
        } catch (IOException e) {
            throw new StateException("cannot read the audit log " + logFile + ": " + e.getMessage(), e);
        } finally {
            writer.unlock();
        }
    }

    /**
     * Appends through group commit: one caller at a time leads, writing every queued append with one lock and one
     * sync; the others wait until their own append is written (and return at once, without the writer lock) or
     * until the leader is done, when one of them leads the next batch. Waiting for the writer lock instead, as this
     * did before, kept a caller whose append was already durable waiting behind the next batch: two threads
     * appending in a loop got one sync per append and the throughput of one thread (strace: 5,162 fdatasync for
     * about 5,200 appends).
     */
    @Override
    public List<AuditRecord> append(Supplier<List<AuditEvent>> events) {
        Pending mine = new Pending(events);
        queue.add(mine);
        if (leader == Thread.currentThread()) {
            // An append from inside the batch this thread is writing (a supplier or listener that appends): as before,
            // it is written by a nested batch under the (reentrant) writer lock.
            writer.lock();
            try {
                if (!mine.done) {
                    writeBatch();
                }
            } finally {
                writer.unlock();
            }
        } else if (!awaitTurn(mine)) {
            try {
                writer.lock();
                try {
                    if (!mine.done) {
                        writeBatch();
                    }
                } finally {
                    writer.unlock();
                }
            } finally {
                leadership.lock();
                try {
                    leading = false;
                    leader = null;
                    batchWritten.signalAll();
                } finally {
                    leadership.unlock();
                }
            }
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.records;
    }

    /** Waits until {@code mine} is written (true) or until this caller leads the next batch (false). */
    private boolean awaitTurn(Pending mine) {
        leadership.lock();
        try {
            while (!mine.done && leading) {
                batchWritten.awaitUninterruptibly();
            }
            if (mine.done) {
                return true;
            }
            leading = true;
            leader = Thread.currentThread();
            return false;
        } finally {
            leadership.unlock();
        }
    }

    /** Number of times the log was forced (fdatasync) by appends; for tests of group commit. */
    long syncs() {
        return syncs.get();
    }

    /** Writes every queued append with one lock and one sync. Called with {@code writer} held. */
    private void writeBatch() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        try {
            checkUsable();
            jvmWide.lock();
            try (FileLock held = lock.lock()) {
                long repaired = catchUp(true);
                ByteArrayOutputStream out = new ByteArrayOutputStream(512 * batch.size());
                long lines = 0;
                if (repaired > 0) {
                    lines += seal(List.of(AuditEvent.of(AuditEvent.LOG_REPAIRED, clock.instant())
                            .put("discarded_bytes", repaired)
                            .put("reason", "a writer died while appending; its unfinished line was never acknowledged").build()), null, out);
                }
                for (Pending p : batch) {
                    try {
                        lines += seal(p.events.get(), p, out);
                    } catch (RuntimeException e) {
                        p.error = e instanceof StateException se ? se : new StateException(e.getMessage(), e);
                    }
                }
                byte[] bytes = out.toByteArray();
                if (bytes.length > 0) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    long at = position;
                    while (buf.hasRemaining()) {
                        at += log.write(buf, at);
                    }
                    log.force(false);
                    syncs.incrementAndGet();
                    position = at;
                    lineNo += lines;
                }
            } finally {
                jvmWide.unlock();
            }
        } catch (IOException | RuntimeException e) {
            StateException error = e instanceof StateException se ? se
                    : new StateException("cannot write the audit log " + logFile + ": " + e.getMessage(), e);
            if (!(e instanceof StateException)) {
                // Our view of the file may now be ahead of it; stop rather than build on records that may be lost.
                failure = error;
            }
            for (Pending p : batch) {
                if (p.error == null) {
                    p.error = error;
                }
            }
        } finally {
            for (Pending p : batch) {
                p.done = true;
            }
        }
    }

    private long seal(List<AuditEvent> events, Pending owner, ByteArrayOutputStream out) {
        long n = 0;
        for (AuditEvent e : events) {
            AuditRecord r = AuditChain.seal(last, e);
            last = r;
            out.writeBytes(r.line().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if (owner != null) {
                owner.records.add(r);
            }
            listener.accept(r);
            n++;
        }
        return n;
    }

    /**
     * Delivers complete lines appended since {@link #position}. With the file lock held, an unfinished last line
     * can only be the remains of a dead writer: it is cut off and its length returned.
     */
    private long catchUp(boolean locked) throws IOException {
        long size = log.size();
        if (size < position) {
            throw new StateException("the audit log " + logFile + " shrank from " + position + " to " + size
                    + " bytes while in use; it has been tampered with");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(size - position, 1)));
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        long at = position;
        while (at < size) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - at));
            int n = log.read(buf, at);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buf.array();
            int start = 0;
            List<byte[]> lines = new ArrayList<>();
            long[] ends = new long[16];
            for (int i; (i = indexOfNewline(bytes, start, n)) >= 0; ) {
                if (lines.size() == ends.length) {
                    ends = Arrays.copyOf(ends, ends.length * 2);
                }
                ends[lines.size()] = at + i + 1;
                lines.add(lineBytes(partial, bytes, start, i));
                start = i + 1;
            }
            deliver(lines, ends);
            partial.write(bytes, start, n - start);
            at += n;
        }
        if (locked && size > position) {
            long torn = size - position;
            log.truncate(position);
            log.force(false);
            return torn;
        }
        return 0;
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The bytes of the line ending at {@code end}: whatever of it an earlier chunk held, then {@code bytes[start, end)}. */
    private static byte[] lineBytes(ByteArrayOutputStream partial, byte[] bytes, int start, int end) {
        if (partial.size() == 0) {
            return Arrays.copyOfRange(bytes, start, end);
        }
        partial.write(bytes, start, end - start);
        byte[] line = partial.toByteArray();
        partial.reset();
        return line;
    }

    /** The line ending at {@code end}: whatever of it an earlier chunk held, then {@code bytes[start, end)}. */
    private static String line(ByteArrayOutputStream partial, byte[] bytes, int start, int end) {
        if (partial.size() == 0) {
            return new String(bytes, start, end - start, StandardCharsets.UTF_8);
        }
        partial.write(bytes, start, end - start);
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        return line;
    }

    /**
     * Delivers whole lines in order, advancing {@link #position} past each one delivered. Reading and hash-checking
     * a line does not depend on the others, so a long run of lines (a replay on start) is parsed on every core
     * first; chaining and delivery stay in order, on this thread, and stop at the first bad line as before.
     */
    private void deliver(List<byte[]> lines, long[] ends) {
        int count = lines.size();
        Object[] parsed = new Object[count];
        if (count >= PARALLEL_PARSE_MIN) {
            IntStream.range(0, count).parallel().forEach(k -> parsed[k] = parseOrProblem(lines.get(k)));
        }
        for (int k = 0; k < count; k++) {
            Object p = parsed[k] != null ? parsed[k] : parseOrProblem(lines.get(k));
            lineNo++;
            if (p instanceof String problem) {
                throw damaged(problem);
            }
            deliver((AuditRecord) p);
            position = ends[k];
        }
    }

    /** The record a line holds, or (a String) what is wrong with it. */
    private static Object parseOrProblem(byte[] line) {
        try {
            return AuditRecord.parse(line);
        } catch (IllegalArgumentException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private void deliver(AuditRecord r) {
        String problem = AuditChain.linkProblem(last, r);
        if (problem != null) {
            throw damaged(problem);
        }
        last = r;
        listener.accept(r);
    }

    private StateException damaged(String problem) {
        StateException e = new StateException("the audit log " + logFile + " is damaged at line " + lineNo + ": " + problem
                + "; run 'run-identity audit verify' for details");
        failure = e;
        return e;
    }

    private void checkUsable() {
        if (failure != null) {
            throw new StateException(failure.getMessage(), failure);
        }
    }

    @Override
    public void scan(Consumer<String> consumer) {
        try (FileChannel ch = FileChannel.open(logFile)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            long at = 0;
            while (at < size) {
                buf.clear();
                int n = ch.read(buf, at);
                if (n <= 0) {
                    break;
                }
                byte[] bytes = buf.array();
                int start = 0;
                for (int i; (i = indexOfNewline(bytes, start, n)) >= 0; ) {
                    consumer.accept(line(partial, bytes, start, i));
                    start = i + 1;
                }
                partial.write(bytes, start, n - start);
                at += n;
            }
            // An unfinished last line is a write in progress or the remains of a dead writer, never acknowledged:
            // like poll(), leave it to the next writer instead of calling the log broken.
        } catch (IOException e) {
            throw new StateException("cannot read the audit log " + logFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            log.close();
            lock.close();
        } catch (IOException e) {
            // nothing left to flush: every append was forced before it returned
        }
    }

    private static final class Pending {
        final Supplier<List<AuditEvent>> events;
        final List<AuditRecord> records = new ArrayList<>();
        volatile boolean done;
        StateException error;

        Pending(Supplier<List<AuditEvent>> events) {
            this.events = events;
        }
    }
}
