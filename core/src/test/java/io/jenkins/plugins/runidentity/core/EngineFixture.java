package io.jenkins.plugins.runidentity.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * What most engine tests start from: a fresh state folder, a clock the test moves by hand, and an engine on both,
 * closed after each test. A test class overrides {@link #config()} or {@link #startTime()} when it needs its own.
 */
public abstract class EngineFixture {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    protected MutableClock clock;
    protected Path dir;
    protected RunIdentityEngine engine;

    /** The configuration the engine starts with: the shared one unless overridden. */
    protected EngineConfig config() {
        return Fixtures.config();
    }

    /** Where the clock starts: now, unless overridden. */
    protected Instant startTime() {
        return Instant.now();
    }

    @Before
    public final void startEngine() throws IOException {
        clock = new MutableClock(startTime());
        dir = tmp.newFolder("state").toPath();
        engine = Fixtures.engine(config(), dir, clock);
    }

    /** Closes the engine and starts another on the same state and configuration, as a restart would. */
    protected final RunIdentityEngine restart() {
        EngineConfig current = engine.config();
        engine.close();
        engine = Fixtures.engine(current, dir, clock);
        return engine;
    }

    @After
    public final void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }
}
