package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class StateHomeTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * Found by LifecycleIT's twenty concurrent runs: a command starting up removed the token folder of a session
     * another process opened at the same moment, and that process's child found no token file.
     */
    @Test
    public void aSessionOpenedDuringTheSweepKeepsItsTokenFolder() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        StringWriter err = new StringWriter();
        assertThat(RunIdentityCommand.run(new String[] {"--home", home.toString(), "init"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err))).as(err.toString()).isZero();
        StateHome state = StateHome.locate(home);
        try (RunIdentityEngine sweeper = state.open(Clock.systemUTC()); RunIdentityEngine other = state.open(Clock.systemUTC())) {
            Session closed = other.openSession(MintRequest.of(null, "default"), RunFacts.builder("a", 1).build(), "x");
            Path stale = Files.writeString(state.tokenFolder(closed.id()).resolve("token"), "t");
            other.closeSession(closed.id(), CloseReason.BLOCK_COMPLETED);
            Path[] raced = new Path[1];
            // The other process opens a session and makes its folder at the worst moment: during the sweep.
            state.removeStaleTokenFolders(() -> {
                try {
                    Session s = other.openSession(MintRequest.of(null, "default"), RunFacts.builder("a", 2).build(), "x");
                    raced[0] = Files.writeString(state.tokenFolder(s.id()).resolve("token"), "t");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return sweeper.openSessions().keySet();
            });
            assertThat(raced[0]).as("the token of a session opened during the sweep").exists();
            assertThat(stale).as("the token of a closed session").doesNotExist();
            assertThat(stale.getParent()).doesNotExist();
        }
    }
}
