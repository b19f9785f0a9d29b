package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The victim of {@link CrashDurabilityIT}: opens the state as the command does, then mints and revokes from several
 * threads until it is killed. It prints {@code minted <jti>} only after openSession returned and {@code revoked <jti>}
 * only after closeSession returned, never a token.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        RunIdentityEngine engine = StateHome.locate(home).open(Clock.systemUTC());
        String owner = new ProcessOwner().current();
        synchronized (out) {
            out.println("ready");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            String job = "crash/worker-" + t;
            Thread worker = new Thread(() -> {
                while (true) {
                    RunFacts facts = engine.startRun(job, owner, b -> b.cause("crash harness"));
                    Session s = engine.openSession(MintRequest.of(null, "default"), facts, owner);
                    report(out, "minted " + s.token().jti());
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED);
                        report(out, "revoked " + s.token().jti());
                    }
                }
            }, "crash-worker-" + t);
            worker.start();
        }
        Thread.currentThread().join();
    }

    private static void report(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
