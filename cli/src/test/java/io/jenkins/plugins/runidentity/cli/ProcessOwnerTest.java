package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** Which owners a process may judge, and how: only those of its own kernel boot and pid namespace. */
public class ProcessOwnerTest {
    private final ProcessOwner here = new ProcessOwner("build-7", "boot-a/pid:[1]");

    private static long startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    @Test
    public void aLiveProcessOfTheSameScopeIsNotGone() {
        ProcessHandle self = ProcessHandle.current();
        assertThat(here.isGone("process:" + self.pid() + ":" + startOf(self) + "@build-7;boot-a/pid:[1]")).isFalse();
        assertThat(here.isGone(here.current())).isFalse();
    }

    @Test
    public void aDeadProcessOfTheSameScopeIsGoneWhateverItsHostName() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The host name is not what decides: a container with another name on the same kernel and pids is judged.
        assertThat(here.isGone("process:" + p.pid() + ":1@some-other-name;boot-a/pid:[1]")).isTrue();
    }

    @Test
    public void aRecycledPidIsGone() {
        ProcessHandle self = ProcessHandle.current();
        assertThat(here.isGone("process:" + self.pid() + ":" + (startOf(self) - 1000) + "@build-7;boot-a/pid:[1]")).isTrue();
    }

    @Test
    public void ownersOfAnotherBootOrPidNamespaceOrFormatAreNeverJudged() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String dead = "process:" + p.pid() + ":1@build-7";
        // same host name, another pid namespace: its pid numbers mean other processes here
        assertThat(here.isGone(dead + ";boot-a/pid:[2]")).isFalse();
        assertThat(here.isGone(dead + ";boot-b/pid:[1]")).isFalse();
        assertThat(here.isGone(dead)).as("no scope (older format)").isFalse();
        assertThat(here.isGone(dead + ";")).isFalse();
        assertThat(here.isGone("jenkins:job#1")).isFalse();
        assertThat(here.isGone(null)).isFalse();
    }

    @Test
    public void theScopeOfThisMachineNamesItsBootAndPidNamespace() {
        String scope = ProcessOwner.scope();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/ns/pid"))) {
            assertThat(scope).matches("[0-9a-f-]{36}/pid:\\[\\d+\\]");
        } else {
            assertThat(scope).startsWith("host:");
        }
    }
}
