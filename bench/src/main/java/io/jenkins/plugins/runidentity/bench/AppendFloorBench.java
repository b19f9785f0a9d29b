package io.jenkins.plugins.runidentity.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.Warmup;

/** The durability floor: append one audit-sized (300-byte) line to a file and fdatasync it, nothing else. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class AppendFloorBench {
    private Path dir;
    private FileChannel log;
    private ByteBuffer line;
    private long position;

    @Setup
    public void setUp() throws IOException {
        dir = BenchSupport.tempDir("append-floor");
        log = FileChannel.open(dir.resolve("raw.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        byte[] bytes = ("{\"seq\":1,\"event\":\"minted\",\"pad\":\"" + "x".repeat(300) ).substring(0, 299)
                .concat("\n").getBytes(StandardCharsets.UTF_8);
        line = ByteBuffer.wrap(bytes);
    }

    @Benchmark
    public long rawAppendFdatasync() throws IOException {
        line.rewind();
        while (line.hasRemaining()) {
            position += log.write(line, position);
        }
        log.force(false);
        return position;
    }

    @TearDown
    public void tearDown() throws IOException {
        log.close();
        BenchSupport.delete(dir);
    }
}
