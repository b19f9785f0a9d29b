package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Kills (SIGKILL) a process that mints and revokes from four threads, at a random moment, round after round. After
 * each kill: every token id the process reported has a durable minted record (and every reported revocation a revoked
 * one), the next start closes what was left open as orphaned, no torn record remains, and {@code audit verify} passes.
 */
public class CrashDurabilityIT {
    static final int ROUNDS = Integer.getInteger("crashRounds", 20);
    private static final Pattern REPORT = Pattern.compile("(minted|revoked) ([A-Za-z0-9_-]{22})");
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyReportedTokenSurvivesSigkill() throws Exception {
        Cli cli = new Cli(tmp.newFolder().toPath().resolve("state"));
        cli.init();
        SecretScan.assertPrivate(cli.home);
        Path classes = Path.of(CrashChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Random random = new Random(Long.getLong("crashSeed", 4242L));
        long reportedMints = 0, reportedRevocations = 0, orphansClosed = 0, repairs = 0;
        StringBuilder childOutput = new StringBuilder();
        for (int round = 1; round <= ROUNDS; round++) {
            String what = "round " + round;
            Process child = new ProcessBuilder(Cli.javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", Cli.JAR.toAbsolutePath() + java.io.File.pathSeparator + classes,
                    CrashChild.class.getName(), cli.home.toString(), "4").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as(what + ": the child starts").isEqualTo("ready");
            // Kill after a random number of mints, plus a random delay, so that the kill lands anywhere in a write.
            int killAfter = 1 + random.nextInt(20);
            Set<String> minted = new HashSet<>(), revoked = new HashSet<>();
            String line;
            while (minted.size() < killAfter && (line = out.readLine()) != null) {
                record(line, minted, revoked, childOutput);
            }
            Thread.sleep(random.nextInt(50));
            child.toHandle().destroyForcibly(); // SIGKILL, leaving our end of the pipe open to read what was printed
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            while ((line = out.readLine()) != null) {
                record(line, minted, revoked, childOutput);
            }
            reportedMints += minted.size();
            reportedRevocations += revoked.size();

            // Durable: read back by a fresh reader, before anyone repairs anything.
            Set<String> durableMints = new HashSet<>(), durableRevocations = new HashSet<>();
            for (String l : Files.readString(cli.home.resolve("audit.log"), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = Pattern.compile("\"event\":\"(minted|revoked)\".*\"jti\":\"([^\"]+)\"").matcher(l);
                if (m.find()) {
                    (m.group(1).equals("minted") ? durableMints : durableRevocations).add(m.group(2));
                }
            }
            assertThat(durableMints).as(what + ": every reported jti has a minted record").containsAll(minted);
            assertThat(durableRevocations).as(what + ": every reported revocation is recorded").containsAll(revoked);
            // What the log says was open when the process died (a revocation may be durable yet unreported).
            Set<String> openAtKill = new HashSet<>(durableMints);
            openAtKill.removeAll(durableRevocations);

            assertThat(verify(cli)).as(what + ": audit verify right after the kill").isZero();

            // The next start closes what the dead process left open.
            try (RunIdentityEngine next = StateHome.locate(cli.home).open(Clock.systemUTC())) {
                assertThat(next.openSessions()).as(what + ": nothing left open").isEmpty();
                List<AuditRecord> all = next.auditRecords(r -> true);
                Set<String> open = new HashSet<>();
                Set<String> orphaned = new HashSet<>();
                for (AuditRecord r : all) {
                    if ("minted".equals(r.type())) {
                        open.add(r.string("jti"));
                    } else if ("revoked".equals(r.type())) {
                        open.remove(r.string("jti"));
                        if ("orphaned".equals(r.string("reason"))) {
                            orphaned.add(r.string("jti"));
                        }
                    }
                }
                assertThat(open).as(what + ": every minted token is revoked").isEmpty();
                assertThat(orphaned).as(what + ": what the dead process left open was closed as orphaned").containsAll(openAtKill);
                orphansClosed = orphaned.size();
                repairs = all.stream().filter(r -> "log-repaired".equals(r.type())).count();
            }
            byte[] log = Files.readAllBytes(cli.home.resolve("audit.log"));
            assertThat(log[log.length - 1]).as(what + ": no torn record remains").isEqualTo((byte) '\n');
            assertThat(verify(cli)).as(what + ": audit verify after the next start").isZero();
        }
        SecretScan.of(cli.home).text("crash children's output", childOutput.toString()).assertClean();
        System.out.println("crash durability: " + ROUNDS + " SIGKILL rounds survived; " + reportedMints + " minted and "
                + reportedRevocations + " revoked jtis reported by the killed processes, all durable; " + orphansClosed
                + " sessions closed as orphaned in all; " + repairs + " torn tails repaired; records lost: 0");
    }

    /** {@code run-identity audit verify}, the command's own code in this JVM. */
    private static int verify(Cli cli) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int exit = RunIdentityCommand.run(new String[] {"--home", cli.home.toString(), "audit", "verify"}, new PrintWriter(o, true),
                new PrintWriter(e, true));
        assertThat(exit == 0 ? o.toString() : e.toString()).startsWith(exit == 0 ? "audit log intact" : "audit log broken");
        return exit;
    }

    private static void record(String line, Set<String> minted, Set<String> revoked, StringBuilder all) {
        all.append(line).append('\n');
        Matcher m = REPORT.matcher(line);
        if (m.matches()) {
            (m.group(1).equals("minted") ? minted : revoked).add(m.group(2));
        }
    }
}
