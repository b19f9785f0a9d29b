package io.jenkins.plugins.runidentity.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Benchmark;

/** The durability floor: append one audit-sized (300-byte) line to a file and fdatasync it, nothing else. */
public class AppendFloorBench extends BenchFixture {
    private FileChannel log;
    private ByteBuffer line;
    private long position;

    @Override
    protected void prepare() throws IOException {
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

    @Override
    protected void release() throws IOException {
        log.close();
    }
}
