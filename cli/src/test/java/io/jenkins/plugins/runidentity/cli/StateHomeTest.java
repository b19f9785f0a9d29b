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

    private static int run(StringWriter err, String... args) {
        return RunIdentityCommand.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** The tests' own TemporaryFolder made the state folder 0755 (umask 022) before init; init left it so. */
    @Test
    public void initIntoAFolderThatExistsMakesItPrivateAndKeepsItOutOfGit() throws Exception {
        Path home = tmp.newFolder("state").toPath();
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        StringWriter err = new StringWriter();
        assertThat(run(err, "--home", home.toString(), "init")).as(err.toString()).isZero();
        assertThat(mode(home)).isEqualTo("rwx------");
        assertThat(Files.readString(home.resolve(".gitignore"))).isEqualTo("*\n");
        assertThat(mode(home.resolve(".gitignore"))).isEqualTo("rw-------");
    }

    /** Every command tightens a state folder of its user, and the folders in it, that others could write into. */
    @Test
    public void openingMakesTheFoldersOfTheStatePrivate() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        StringWriter err = new StringWriter();
        assertThat(run(err, "--home", home.toString(), "init")).as(err.toString()).isZero();
        java.util.List<Path> folders = java.util.List.of(home, home.resolve("keys"), Files.createDirectories(home.resolve("run")),
                Files.createDirectories(home.resolve("secrets")));
        for (Path f : folders) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        assertThat(run(err, "--home", home.toString(), "keys", "list")).as(err.toString()).isZero();
        for (Path f : folders) {
            assertThat(mode(f)).as(f.toString()).isEqualTo("rwx------");
        }
        Path key = home.resolve("keys/default.json");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        StringWriter refused = new StringWriter();
        assertThat(run(refused, "--home", home.toString(), "exec", "--", "true")).isEqualTo(1);
        assertThat(refused.toString().lines().toList()).singleElement().asString()
                .startsWith("run-identity exec: the key file " + key + " can be read or written by others (rw-r--r--)")
                .contains("chmod 600 " + key).contains("run-identity init");
    }

    /** Several inits at once with different issuers: they all reported success, and one config.yaml won silently. */
    @Test
    public void concurrentInitsExactlyOneWins() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String url = "http://127.0.0.1:" + (9000 + i) + "/default";
                results.add(pool.submit(() -> {
                    go.await();
                    StringWriter err = new StringWriter();
                    int exit = run(err, "--home", home.toString(), "init", "--issuer-url", url);
                    return exit + " " + url + " " + err.toString().strip();
                }));
            }
            go.countDown();
            java.util.List<String> outcomes = new java.util.ArrayList<>();
            for (var f : results) {
                outcomes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            java.util.List<String> won = outcomes.stream().filter(o -> o.startsWith("0 ")).toList();
            assertThat(won).as(String.join("\n", outcomes)).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.startsWith("0 ")))
                    .allSatisfy(o -> assertThat(o).startsWith("2 ").contains("is already initialized"));
            String winner = won.get(0).split(" ")[1];
            assertThat(Files.readString(home.resolve("config.yaml"))).contains("url: " + winner + "\n");
        } finally {
            pool.shutdownNow();
        }
    }

    /** serve's periodic sweep: a killed exec's session is closed as orphaned and its token folder goes with it. */
    @Test
    public void theOrphanSweepRemovesTheTokenFolderOfTheSessionItCloses() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        StringWriter err = new StringWriter();
        assertThat(run(err, "--home", home.toString(), "init")).as(err.toString()).isZero();
        StateHome state = StateHome.locate(home);
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadOwner = "process:" + dead.pid() + ":" + dead.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(1L)
                + "@" + ProcessOwner.hostName() + ";" + ProcessOwner.scope();
        try (RunIdentityEngine engine = state.open(Clock.systemUTC())) {
            Session s = engine.openSession(MintRequest.of(null, "default"), RunFacts.builder("killed", 1).build(), deadOwner);
            Path token = Files.writeString(state.tokenFolder(s.id()).resolve("token"), "t");
            assertThat(state.sweepOrphans(engine, new ProcessOwner())).isEqualTo(1);
            assertThat(engine.openSessions()).doesNotContainKey(s.id());
            assertThat(token.getParent()).as("the token folder of the orphaned session").doesNotExist();
        }
    }

    /** {@code touch <state>/run}: exec failed after minting with "unexpected FileAlreadyExistsException". */
    @Test
    public void aTokenFolderThatCannotBeMadeIsOneClearLine() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        StringWriter err = new StringWriter();
        assertThat(run(err, "--home", home.toString(), "init")).as(err.toString()).isZero();
        Files.createFile(home.resolve("run"));
        StringWriter failed = new StringWriter();
        assertThat(run(failed, "--home", home.toString(), "exec", "--", "true")).isEqualTo(1);
        assertThat(failed.toString().lines().toList()).singleElement().asString()
                .isEqualTo("run-identity exec: " + home.resolve("run") + " is not a folder, and exec keeps each run's token file in it:"
                        + " move it aside (or remove it) and run again");
        try (RunIdentityEngine engine = StateHome.locate(home).open(Clock.systemUTC())) {
            assertThat(engine.openSessions()).as("the session minted before the failure is closed").isEmpty();
            assertThat(engine.auditRecords(r -> "revoked".equals(r.type()))).singleElement()
                    .satisfies(r -> assertThat(r.string("reason")).isEqualTo("block-failed"));
        }
    }
}
