package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.DownstreamRevocation;
import io.jenkins.plugins.runidentity.core.DurationFormat;
import io.jenkins.plugins.runidentity.core.ExchangeFailedException;
import io.jenkins.plugins.runidentity.core.IssuedToken;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RequestDeniedException;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import io.jenkins.plugins.runidentity.core.file.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs CMD as the next run of a job, with its own identity, and revokes it when CMD ends.",
            "",
            "CMD gets RUN_IDENTITY_TOKEN, RUN_IDENTITY_TOKEN_FILE (a 0600 file, removed afterwards), RUN_IDENTITY_ID",
            "(the token id), RUN_IDENTITY_EXPIRES_AT (ISO-8601) and RUN_IDENTITY_ISSUER. The session is closed when CMD",
            "exits (block-completed, or block-failed for a non-zero exit) and on SIGINT or SIGTERM (aborted); a session",
            "whose process was killed outright is closed as orphaned by the next command. CMD's exit code is passed through.",
            "",
            "With --refresh, a fresh token (new id, same session) replaces the token file",
            "atomically at about 80%% of each token's lifetime, so CMD may run longer than",
            "the ttl. The environment variables cannot change once CMD has started:",
            "long-running commands must read RUN_IDENTITY_TOKEN_FILE each time they need it.",
            "",
            "With --time-limit, CMD and the processes it started are stopped when the limit is reached (SIGTERM, then",
            "SIGKILL 10s later; SIGINT and SIGTERM to exec stop them the same way), the session",
            "is closed as timed-out and exec exits 124. The limit is the run's deadline: a template with boundByRun caps",
            "every token's expiry at it, so no token outlives the run.",
            "",
            "With --exchange PROFILE, the run's identity is first exchanged downstream (see docs/federation.md); CMD also gets",
            "RUN_IDENTITY_EXCHANGED_TOKEN, RUN_IDENTITY_EXCHANGED_TOKEN_FILE (0600), RUN_IDENTITY_EXCHANGED_TOKEN_TYPE and,",
            "when known, RUN_IDENTITY_EXCHANGED_EXPIRES_AT. When CMD ends, that token is revoked downstream (if the profile",
            "has a revocation endpoint), then the run's identity. If the exchange fails, CMD does not run, the run's",
            "identity is revoked (exchange-failed) and exec exits 2 when the downstream refused (fix the configuration),",
            "1 when it could not be asked or answered abnormally (retrying may help)."},
        footer = {"", "Example:  run-identity exec --job nightly/backup --ttl 15m -- ./backup.sh --full"})
final class ExecCommand implements Callable<Integer> {
    @ParentCommand RunIdentityCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--issuer", paramLabel = "ID", description = "Issuer id (default: the template's only issuer).")
    String issuer;

    @Option(names = "--template", paramLabel = "ID", defaultValue = "default", description = "Scope template id. Default: ${DEFAULT-VALUE}")
    String template;

    @Option(names = "--job", paramLabel = "NAME", description = "Job name; runs are numbered per job (default: CMD's file name).")
    String job;

    @Option(names = "--audience", paramLabel = "A", description = "One of the template's audiences (default: all of them).")
    String audience;

    @Option(names = "--scope", paramLabel = "S", description = "Space-separated subset of the template's scope.")
    String scope;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Token lifetime, e.g. 90s, 10m, 1h (default: the template's).")
    String ttl;

    @Option(names = "--exchange", paramLabel = "PROFILE", description = "Exchange the identity with this exchange profile first.")
    String exchange;

    @Option(names = "--refresh", description = "Keep a valid token in RUN_IDENTITY_TOKEN_FILE for as long as CMD runs.")
    boolean refresh;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "Stop CMD after this long, e.g. 30m; the run's deadline.")
    String timeLimit;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    /** Where messages go when picocli did not build this command (see {@link #direct}). */
    private java.io.PrintWriter directErr;

    private final Object lock = new Object();
    private volatile boolean aborted;
    private volatile boolean timedOut;
    private boolean finished;
    private volatile Process process;
    private volatile DownstreamAccess downstream;
    private ScheduledExecutorService timer;

    @Override
    public Integer call() throws Exception {
        String jobName = job != null ? job : Path.of(command.get(0)).getFileName().toString();
        Duration limit = timeLimit == null ? null : parseLimit(timeLimit);
        ProcessOwner owners = new ProcessOwner();
        String owner = owners.current();
        StateHome home = parent.state();
        RunIdentityEngine engine = home.open(Clock.systemUTC());
        String host = ProcessOwner.hostName();
        // The deadline is a fact this process enforces (it stops CMD then), not something CMD could claim.
        Instant deadline = limit == null ? null : Instant.now().plus(limit);
        RunFacts facts = engine.startRun(jobName, owner,
                b -> b.node(host).controller(host).cause("run-identity exec").deadline(deadline));
        Session session = engine.openSession(new MintRequest(issuer, template, audience, scope, ttl), facts, owner);
        if (exchange != null) {
            try {
                downstream = DownstreamAccess.obtain(engine, home, exchange, session, owner);
            } catch (ExchangeFailedException e) {
                engine.closeSession(session.id(), CloseReason.EXCHANGE_FAILED);
                err().println("run-identity exec: " + e.getMessage());
                return e.refused() ? RunIdentityCommand.USAGE : 1;
            }
        }

        // Made inside the try below, so that a folder that cannot be made still closes the session (block-failed).
        Path tokenDir = home.tokenFolderPath(session.id()).toAbsolutePath();
        Path tokenFile = tokenDir.resolve("token");
        Thread onSignal = new Thread(() -> {
            aborted = true;
            Process p = process;
            if (p != null && p.isAlive()) {
                try {
                    stopTree(p, STOP_GRACE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            finish(engine, session, CloseReason.ABORTED, tokenDir);
        }, "run-identity-exec-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            home.tokenFolder(session.id());
            writePrivate(tokenFile, session.token().revealSerialized());
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            Map<String, String> env = pb.environment();
            env.put("RUN_IDENTITY_TOKEN", session.token().revealSerialized());
            env.put("RUN_IDENTITY_TOKEN_FILE", tokenFile.toString());
            env.put("RUN_IDENTITY_ID", session.token().jti());
            env.put("RUN_IDENTITY_EXPIRES_AT", session.token().expiresAt().toString());
            env.put("RUN_IDENTITY_ISSUER", session.token().issuer());
            if (downstream != null) {
                downstream.export(tokenDir, env);
            }
            if (refresh || deadline != null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "run-identity-exec-timer");
                    t.setDaemon(true);
                    return t;
                });
            }
            if (refresh) {
                scheduleRefresh(engine, session.id(), session.token(), tokenFile);
            }
            try {
                process = pb.start();
            } catch (IOException e) {
                finish(engine, session, CloseReason.BLOCK_FAILED, tokenDir);
                err().println("run-identity exec: cannot run " + command.get(0) + ": "
                        + String.valueOf(e.getMessage()).replaceFirst("^Cannot run program \"[^\"]*\"[^:]*: ", ""));
                return 127;
            }
            if (deadline != null) {
                timer.schedule(this::stopAtDeadline, Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
                        TimeUnit.MILLISECONDS);
            }
            int exit = process.waitFor();
            if (timedOut) {
                finish(engine, session, CloseReason.TIMED_OUT, tokenDir);
                err().println("run-identity exec: " + command.get(0) + " was stopped after the time limit of "
                        + timeLimit.trim());
                return TIMED_OUT_EXIT;
            }
            finish(engine, session, aborted ? CloseReason.ABORTED : exit == 0 ? CloseReason.BLOCK_COMPLETED : CloseReason.BLOCK_FAILED,
                    tokenDir);
            return exit;
        } finally {
            finish(engine, session, CloseReason.BLOCK_FAILED, tokenDir);
            if (!aborted) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs and finds the session closed
                }
            }
        }
    }

    /** What exec exits with when it stopped CMD at the time limit (the convention of coreutils' timeout). */
    static final int TIMED_OUT_EXIT = 124;

    private static Duration parseLimit(String text) {
        try {
            return DurationFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--time-limit: " + e.getMessage());
        }
    }

    /** Runs on the timer thread at the deadline: stops CMD; the main thread then closes the session. */
    private void stopAtDeadline() {
        Process p = process;
        synchronized (lock) {
            if (finished || p == null || !p.isAlive()) {
                return;
            }
            timedOut = true;
        }
        try {
            stopTree(p, STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // exec is finishing: shutdownNow interrupts the timer
        }
    }

    /** How long CMD and the processes it started get between SIGTERM and SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /**
     * Stops CMD and every process it started (its descendants, taken before CMD is stopped: once it is gone, its
     * children are no longer known as its own): SIGTERM to all, then SIGKILL to whatever, or whatever new descendant,
     * is still alive after {@code grace}. Returns when all are gone, or after the grace period and the SIGKILLs.
     */
    static void stopTree(Process cmd, Duration grace) throws InterruptedException {
        java.util.Set<ProcessHandle> tree = new java.util.LinkedHashSet<>(cmd.descendants().toList());
        cmd.destroy();
        tree.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + grace.toNanos();
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>(tree);
        all.add(0, cmd.toHandle());
        for (ProcessHandle h : all) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.descendants().forEach(tree::add);
            }
        }
        cmd.destroyForcibly();
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
    }

    private java.io.PrintWriter err() {
        return directErr != null ? directErr : spec.commandLine().getErr();
    }

    /** The options of exec that take a value, as picocli declares them above. */
    static final java.util.Set<String> VALUED = java.util.Set.of("--issuer", "--template", "--job", "--audience",
            "--scope", "--ttl", "--exchange", "--time-limit", "--home");

    /**
     * The command for a plain {@code [--home DIR] exec [OPTION VALUE | --refresh]... -- CMD [ARG...]}, read without
     * picocli, or null for anything else (help, a repeated or unknown option, a value that looks like an option, no
     * {@code --}), which picocli then reads as always. Building picocli's model of the whole command (reflection over
     * every annotated class, most of them not archivable by CDS) was a third of an exec's start-up; this is the
     * command line every run of a job uses.
     */
    static ExecCommand direct(String[] args, java.io.PrintWriter err) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        boolean refresh = false;
        boolean seenExec = false;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals("exec") && !seenExec) {
                seenExec = true;
                continue;
            }
            if (a.equals("--refresh") && seenExec && !refresh) {
                refresh = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            if (!VALUED.contains(name) || values.containsKey(name) || (!seenExec && !name.equals("--home"))) {
                return null;
            }
            String value;
            if (eq > 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.isEmpty() || value.startsWith("-")) {
                return null;
            }
            values.put(name, value);
        }
        if (!seenExec || i + 1 >= args.length) {
            return null;
        }
        ExecCommand c = new ExecCommand();
        c.parent = new RunIdentityCommand();
        c.parent.home = values.containsKey("--home") ? Path.of(values.get("--home")) : null;
        c.issuer = values.get("--issuer");
        c.template = values.getOrDefault("--template", "default");
        c.job = values.get("--job");
        c.audience = values.get("--audience");
        c.scope = values.get("--scope");
        c.ttl = values.get("--ttl");
        c.exchange = values.get("--exchange");
        c.timeLimit = values.get("--time-limit");
        c.refresh = refresh;
        c.command = List.of(java.util.Arrays.copyOfRange(args, i + 1, args.length));
        c.directErr = err;
        return c;
    }

    /** The moment to replace a token: at 80 % of its lifetime. */
    static Instant refreshAt(IssuedToken t) {
        Duration life = Duration.between(t.issuedAt(), t.expiresAt());
        return t.issuedAt().plus(life.multipliedBy(4).dividedBy(5));
    }

    private void scheduleRefresh(RunIdentityEngine engine, String sessionId, IssuedToken current,
                                 Path tokenFile) {
        long delay = Math.max(0, Duration.between(Instant.now(), refreshAt(current)).toMillis());
        timer.schedule(() -> refreshOnce(engine, sessionId, current, tokenFile), delay, TimeUnit.MILLISECONDS);
    }

    private void refreshOnce(RunIdentityEngine engine, String sessionId, IssuedToken current,
                             Path tokenFile) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            try {
                Session fresh = engine.refresh(sessionId);
                writePrivate(tokenFile, fresh.token().revealSerialized());
                scheduleRefresh(engine, sessionId, fresh.token(), tokenFile);
            } catch (RequestDeniedException e) {
                err().println("run-identity exec: the token can no longer be refreshed: " + e.getMessage());
            } catch (RuntimeException | IOException e) {
                // A passing problem (state briefly unavailable): try again soon while the current token still lives.
                err().println("run-identity exec: refreshing the token failed, retrying in 5s: " + e.getMessage());
                if (Instant.now().plusSeconds(5).isBefore(current.expiresAt())) {
                    timer.schedule(() -> refreshOnce(engine, sessionId, current, tokenFile), 5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void finish(RunIdentityEngine engine, Session session, CloseReason reason, Path tokenDir) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            if (timer != null) {
                timer.shutdownNow();
            }
            DownstreamAccess d = downstream;
            if (d != null) {
                DownstreamRevocation r = d.end();
                if (r.status() == DownstreamRevocation.Status.FAILED) {
                    err().println("run-identity exec: " + r.reason());
                }
            }
            try {
                if (Files.isDirectory(tokenDir)) {
                    Files.deleteIfExists(tokenDir.resolve("token"));
                    Files.deleteIfExists(tokenDir);
                }
            } catch (IOException e) {
                err().println("run-identity exec: could not remove the token file in " + tokenDir);
            }
            engine.closeSession(session.id(), reason);
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        PrivateFiles.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }
}
