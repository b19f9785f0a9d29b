package io.jenkins.plugins.runidentity.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the side-by-side benchmarks share, so that floor and engine run under the same settings: JMH's run settings
 * (latency by sampling, in µs; 2 forks, 3 × 1 s warm-up, 5 × 2 s measured — a benchmark may override one), a
 * scratch folder per trial on the file system real state lives on, created before {@link #prepare()} and deleted
 * after {@link #release()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public abstract class BenchFixture {
    /** This trial's scratch folder. */
    protected Path dir;

    @Setup(Level.Trial)
    public final void setUpFixture() throws Exception {
        dir = BenchSupport.tempDir(getClass().getSimpleName());
        prepare();
    }

    @TearDown(Level.Trial)
    public final void tearDownFixture() throws Exception {
        try {
            release();
        } finally {
            BenchSupport.delete(dir);
        }
    }

    /** Prepares what the benchmark measures; {@link #dir} exists. */
    protected void prepare() throws Exception {}

    /** Closes what {@link #prepare()} opened, before the folder is deleted. */
    protected void release() throws Exception {}
}
