package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The whole lifecycle on real processes: init, serve, exec of real commands, independent verification, revocation
 * on every kind of exit, audit verification and tampering, refusals, and a scan for leaked secrets.
 */
public class LifecycleIT {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private Cli cli;
    private Path out;

    @Before
    public void start() throws Exception {
        cli = Cli.served(tmp);
        out = tmp.newFolder("out").toPath();
    }

    @After
    public void stop() throws Exception {
        cli.close();
    }

    /** A shell command that saves the token and its id where the test can read them. */
    private String save(String name) {
        return "cp \"$RUN_IDENTITY_TOKEN_FILE\" '" + out.resolve(name + ".token") + "' && printf %s \"$RUN_IDENTITY_ID\" > '"
                + out.resolve(name + ".id") + "'";
    }

    private String token(String name) throws Exception {
        return Files.readString(out.resolve(name + ".token")).trim();
    }

    @Test
    public void anIndependentVerifierAcceptsTheTokenOverHttp() throws Exception {
        Path node = Path.of(System.getProperty("nodeVerifierDir", "src/test/node"));
        assertThat(node.resolve("node_modules/jose")).as("the independent verifier: run 'npm ci' in " + node).isDirectory();
        Cli.Result r = cli.run("exec", "--job", "team/app", "--ttl", "5m", "--", "sh", "-c",
                save("v") + " && node '" + node.resolve("verify.mjs") + "' \"$RUN_IDENTITY_ISSUER\" run-identity \"$RUN_IDENTITY_TOKEN_FILE\""
                        + " > '" + out.resolve("verified.json") + "'");
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> v = JSONObjectUtils.parse(Files.readString(out.resolve("verified.json")));
        assertThat(v.get("verified")).isEqualTo(true);
        assertThat(v.get("active")).as("introspection while the child runs").isEqualTo(true);
        Map<String, Object> claims = JSONObjectUtils.getJSONObject(v, "payload");
        assertThat(claims.get("iss")).isEqualTo(cli.issuer);
        assertThat(claims.get("aud")).isEqualTo("run-identity");
        assertThat(claims.get("sub")).isEqualTo("job:team/app");
        assertThat(claims.get("jti")).isEqualTo(Files.readString(out.resolve("v.id")));
        assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(300);
        assertThat(JSONObjectUtils.getJSONObject(v, "header").get("alg")).isEqualTo("RS256");
        assertThat(cli.active(token("v"))).as("after the child ended").isFalse();
    }

    /**
     * {@code --time-limit}: the command is stopped at the limit, exec exits 124, the session closes as timed-out, and a
     * template bound by the run never issues a token that outlives the deadline, even when a longer ttl is asked for.
     */
    @Test
    public void aTimeLimitStopsTheCommandAndBoundsTheToken() throws Exception {
        Files.writeString(cli.home.resolve("config.yaml"), InitCommand.sampleConfig(cli.issuer)
                .replace("  notBeforeBackdate", "    - id: bounded\n      audiences: [run-identity]\n      allowedJobs: [\"**\"]\n      maxTtl: 1h\n"
                        + "      boundByRun: true\n  notBeforeBackdate"));
        long before = System.currentTimeMillis() / 1000;
        long started = System.nanoTime();
        Cli.Result r = cli.run("exec", "--template", "bounded", "--ttl", "30m", "--time-limit", "4s", "--job", "slow", "--",
                "sh", "-c", save("t") + " && exec sleep 60");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long after = System.currentTimeMillis() / 1000;
        assertThat(r.exit()).as(r.err()).isEqualTo(124);
        assertThat(r.err().strip()).isEqualTo("run-identity exec: sh was stopped after the time limit of 4s");
        assertThat(tookMillis).as("stopped by the limit, not by sleep 60").isLessThan(40_000);
        Map<String, Object> claims = JSONObjectUtils.parse(new String(java.util.Base64.getUrlDecoder()
                .decode(token("t").split("\\.")[1]), StandardCharsets.UTF_8));
        long exp = (Long) claims.get("exp");
        assertThat(exp).as("exp is capped at the deadline, not iat + 30m").isBetween(before + 3, after + 4);
        assertThat(cli.active(token("t"))).isFalse();
        Cli.Result audit = cli.run("audit", "show", "--json");
        assertThat(audit.out()).contains("\"reason\":\"timed-out\"");

        // the same template without a limit: the deadline is unknown, the ttl asked for applies
        Cli.Result free = cli.run("exec", "--template", "bounded", "--ttl", "30m", "--job", "slow", "--", "sh", "-c", save("f"));
        assertThat(free.exit()).as(free.err()).isZero();
        Map<String, Object> freeClaims = JSONObjectUtils.parse(new String(java.util.Base64.getUrlDecoder()
                .decode(token("f").split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat((Long) freeClaims.get("exp") - (Long) freeClaims.get("iat")).isEqualTo(1800);

        Cli.Result bad = cli.run("exec", "--time-limit", "soon", "--", "true");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("run-identity exec: --time-limit: 'soon' is not a duration; use e.g. 90s, 10m, 1h30m, 2d or PT10M");
    }

    /** Whether a process is running: it exists and is not a zombie (a dead child nobody has reaped yet). */
    static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        String s;
        try {
            s = Files.readString(stat);
        } catch (java.io.IOException gone) {
            return false;
        }
        char state = s.charAt(s.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    /** Waits (bounded) for a process id a shell writes into {@code file}. */
    private static long pidIn(Path file) throws Exception {
        for (int i = 0; i < 300; i++) {
            String text = Files.exists(file) ? Files.readString(file).trim() : "";
            if (text.matches("[0-9]+")) {
                return Long.parseLong(text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no process id in " + file);
    }

    /**
     * {@code --time-limit} and SIGTERM stopped CMD only: {@code sh -c 'sleep 25; echo done'} left its sleep running
     * after exec had exited 124, and the shell went on. Now every process CMD started is stopped with it.
     */
    @Test
    public void aTimeLimitAndSigtermStopTheProcessesTheCommandStarted() throws Exception {
        Path child = out.resolve("child.pid");
        Path done = out.resolve("done");
        String script = "sleep 25 & echo $! > '" + child + "'; sleep 25; echo done > '" + done + "'";
        Cli.Result r = cli.run("exec", "--time-limit", "2s", "--job", "tree", "--", "sh", "-c", script);
        assertThat(r.exit()).as(r.err()).isEqualTo(124);
        long pid = Long.parseLong(Files.readString(child).trim());
        assertThat(running(pid)).as("the child CMD started, right after exec exited 124").isFalse();
        Thread.sleep(500);
        assertThat(done).as("CMD's shell went on after its sleep was stopped").doesNotExist();

        Files.delete(child);
        Process term = cli.builder("exec", "--job", "tree", "--", "sh", "-c", script).start();
        long pid2 = pidIn(child);
        assertThat(running(pid2)).isTrue();
        term.destroy(); // SIGTERM to exec
        assertThat(term.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(term.exitValue()).isEqualTo(143);
        assertThat(running(pid2)).as("the child CMD started, right after exec ended on SIGTERM").isFalse();
        assertThat(done).doesNotExist();
    }

    /** serve's own sweep (no other command runs) closes a killed exec's session and removes its token file. */
    @Test
    public void serveRemovesTheTokenFileOfAKilledExec() throws Exception {
        Process kill = cli.builder("exec", "--job", "killed", "--", "sh", "-c", save("k") + " && echo $$ > '" + out.resolve("k.pid")
                + "' && exec sleep 60").start();
        long sleeper = pidIn(out.resolve("k.pid"));
        Path runDir = cli.home.resolve("run");
        List<Path> folders;
        try (Stream<Path> l = Files.list(runDir)) {
            folders = l.toList();
        }
        assertThat(folders).as("the running exec's token folder").hasSize(1);
        kill.destroyForcibly(); // SIGKILL: exec cannot clean up
        kill.waitFor(30, TimeUnit.SECONDS);
        ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        long end = System.currentTimeMillis() + 20_000;
        while (Files.exists(folders.get(0)) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertThat(folders.get(0)).as("the token folder, after serve's sweep").doesNotExist();
        assertThat(cli.active(token("k"))).isFalse();
    }

    @Test
    public void everyWayOfEndingRevokesWithItsReason() throws Exception {
        Cli.Result ok = cli.run("exec", "--job", "ends", "--", "sh", "-c", save("ok"));
        assertThat(ok.exit()).isZero();
        Cli.Result fail = cli.run("exec", "--job", "ends", "--", "sh", "-c", save("fail") + " && exit 3");
        assertThat(fail.exit()).isEqualTo(3);

        Process term = cli.builder("exec", "--job", "ends", "--", "sh", "-c", save("term") + " && sleep 60").start();
        waitFor(out.resolve("term.id"));
        assertThat(cli.active(token("term"))).as("while running").isTrue();
        term.destroy(); // SIGTERM
        assertThat(term.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(term.exitValue()).isEqualTo(143);

        Process kill = cli.builder("exec", "--job", "ends", "--", "sh", "-c", save("kill") + " && exec sleep 60").start();
        waitFor(out.resolve("kill.id"));
        assertThat(cli.active(token("kill"))).isTrue();
        kill.destroyForcibly(); // SIGKILL: no chance to clean up
        kill.waitFor(30, TimeUnit.SECONDS);
        kill.descendants().forEach(ProcessHandle::destroyForcibly);
        // serve sweeps orphans every two seconds; any next command does too.
        assertThat(cli.run("keys", "list").exit()).isZero();

        for (String n : new String[] {"ok", "fail", "term", "kill"}) {
            assertThat(cli.active(token(n))).as(n).isFalse();
        }
        Cli.Result audit = cli.run("audit", "show", "--job", "ends", "--json");
        Map<String, String> reasons = new java.util.HashMap<>();
        for (String line : audit.out().lines().toList()) {
            Map<String, Object> rec = JSONObjectUtils.parse(line);
            if ("revoked".equals(rec.get("event"))) {
                reasons.put((String) rec.get("jti"), (String) rec.get("reason"));
            }
        }
        assertThat(reasons).containsEntry(Files.readString(out.resolve("ok.id")), "block-completed")
                .containsEntry(Files.readString(out.resolve("fail.id")), "block-failed")
                .containsEntry(Files.readString(out.resolve("term.id")), "aborted")
                .containsEntry(Files.readString(out.resolve("kill.id")), "orphaned");
        assertThat(audit.out()).contains("\"event\":\"minted\"");
        assertThat(cli.run("audit", "verify").exit()).isZero();
        try (Stream<Path> left = Files.walk(cli.home.resolve("run"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("token files left behind").isEmpty();
        }
    }

    @Test
    public void auditVerifyNamesTheFirstBadRecord() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(cli.run("exec", "--job", "chain", "--", "true").exit()).isZero();
        }
        Cli.Result good = cli.run("audit", "verify");
        assertThat(good.exit()).isZero();
        assertThat(good.out()).startsWith("audit log intact: ");
        cli.close();
        Path log = cli.home.resolve("audit.log");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.size()).isGreaterThan(8);

        byte[] bytes = Files.readAllBytes(log);
        int offset = String.join("\n", lines.subList(0, 4)).length() + 1 + 20; // inside line 5
        bytes[offset] = (byte) (bytes[offset] ^ 0x01);
        Files.write(log, bytes);
        Cli.Result changed = cli.run("audit", "verify");
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.err()).startsWith("audit log broken at line 5:");

        List<String> removed = new ArrayList<>(lines);
        removed.remove(6);
        Files.write(log, removed);
        assertThat(cli.run("audit", "verify").err()).startsWith("audit log broken at line 7:");

        // Cutting whole records off the end leaves a valid chain; the anchor printed earlier catches it.
        String anchor = good.out().strip().replaceFirst("^.*, anchor ", "");
        assertThat(anchor).matches(lines.size() + ":[0-9a-f]{64}");
        Files.write(log, lines.subList(0, lines.size() - 1));
        assertThat(cli.run("audit", "verify").exit()).as("a cut tail alone verifies").isZero();
        Cli.Result cut = cli.run("audit", "verify", "--anchor", anchor);
        assertThat(cut.exit()).isEqualTo(1);
        assertThat(cut.err()).contains("before anchored record " + lines.size() + "; records were cut off its end");
        Files.write(log, lines);
        assertThat(cli.run("audit", "verify", "--anchor", anchor).exit()).isZero();
        Cli.Result badAnchor = cli.run("audit", "verify", "--anchor", "five:abc");
        assertThat(badAnchor.exit()).isEqualTo(2);
        assertThat(badAnchor.err().strip()).isEqualTo("run-identity audit verify: --anchor: 'five:abc' is not N:HASH as 'audit verify' prints it");

        List<String> swapped = new ArrayList<>(lines);
        Collections.swap(swapped, 2, 3);
        Files.write(log, swapped);
        assertThat(cli.run("audit", "verify").err()).startsWith("audit log broken at line 3:");

        Cli.Result refused = cli.run("exec", "--job", "chain", "--", "true");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).contains("is damaged at line 3").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    public void refusalsAreOneLineExitTwoAuditedAndMintNothing() throws Exception {
        Files.writeString(cli.home.resolve("config.yaml"), InitCommand.sampleConfig(cli.issuer)
                .replace("  notBeforeBackdate", "    - id: deploy\n      audiences: [vault]\n      allowedJobs: [\"payments/**\"]\n"
                        + "      maxTtl: 30m\n  notBeforeBackdate"));
        Object[][] cases = {
            {new String[] {"--template", "nope"}, "unknown template 'nope'; configured templates: default, deploy", true},
            {new String[] {"--issuer", "other"}, "unknown issuer 'other'; configured issuers: default", true},
            {new String[] {"--template", "deploy", "--job", "web/site"}, "job 'web/site' may not use template 'deploy'; allowed jobs: payments/**", true},
            {new String[] {"--template", "deploy", "--job", "payments/x", "--ttl", "2h"}, "ttl 2h exceeds the maximum of template 'deploy', 30m", true},
            {new String[] {"--ttl", "ten minutes"}, "ttl 'ten minutes' is not a duration", true},
            {new String[] {"--audience", "aws"}, "audience 'aws' is not allowed by template 'default'; allowed audiences: run-identity", true},
            {new String[] {"--no-such-option"}, "Unknown option: '--no-such-option'", false},
        };
        int denied = 0;
        for (Object[] c : cases) {
            List<String> args = new ArrayList<>(List.of("exec"));
            args.addAll(List.of((String[]) c[0]));
            args.addAll(List.of("--", "sh", "-c", "echo RAN"));
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(args.toString()).isEqualTo(2);
            assertThat(r.out()).as("the command must not run").doesNotContain("RAN");
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).as(args.toString()).startsWith("run-identity exec: " + c[1]);
            if ((Boolean) c[2]) {
                denied++;
            }
        }
        Cli.Result audit = cli.run("audit", "show", "--json");
        assertThat(audit.out().lines().filter(l -> l.contains("\"event\":\"denied\"")).count()).isEqualTo(denied);
        assertThat(audit.out()).doesNotContain("\"event\":\"minted\"");

        Object[][] badConfigs = {
            {"      claims: {}", "      claims: {iss: evil}", "claim 'iss' is reserved"},
            {"      subject: \"job:${job}\"", "      subject: \"job:${secret}\"", "unknown variable ${secret}"},
            {"      maxTtl: 1h", "      maxTtl: forever", "runIdentity.templates[0].maxTtl: 'forever' is not a duration"},
            {"      maxTtl: 1h", "      maxTTL: 1h", "unknown setting 'maxTTL'"},
            {"      issuers: [default]", "      issuers: [nope]", "names issuer 'nope', which is not configured"},
            {"  issuers:", "  issuers: [", "line "},
        };
        for (Object[] b : badConfigs) {
            Files.writeString(cli.home.resolve("config.yaml"), InitCommand.sampleConfig(cli.issuer).replace((String) b[0], (String) b[1]));
            Cli.Result r = cli.run("exec", "--", "sh", "-c", "echo RAN");
            assertThat(r.exit()).as((String) b[1]).isEqualTo(2);
            assertThat(r.out()).doesNotContain("RAN");
            assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).as((String) b[1]).contains("config.yaml").contains((String) b[2]);
        }
    }

    @Test
    public void endpointsAnswerBadInputWithJsonErrors() throws Exception {
        Object[][] cases = {
            {"POST", "/introspect", "application/x-www-form-urlencoded", "", 400},
            {"POST", "/introspect", "application/x-www-form-urlencoded", "token=" + "x".repeat(70_000), 413},
            {"POST", "/introspect", "application/x-www-form-urlencoded", "token=not.a.jwt", 200},
            {"POST", "/revoke", "application/x-www-form-urlencoded", "", 400},
            {"GET", "/introspect", null, null, 405},
            {"PUT", "/jwks", "text/plain", "x", 405},
            {"POST", "/introspect", "text/plain", "token=x", 415},
        };
        for (Object[] c : cases) {
            Cli.Http r = cli.http((String) c[0], (String) c[1], (String) c[2], c[3] == null ? null : ((String) c[3]).getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(c[0] + " " + c[1]).isEqualTo(c[4]);
            assertThat(r.contentType()).startsWith("application/json");
            Map<String, Object> body = JSONObjectUtils.parse(r.body());
            assertThat(body).as(r.body()).containsAnyOf(Map.entry("active", false), Map.entry("error", "invalid_request"));
        }
        Cli.Http unknown = cli.http("GET", "/../nope/jwks", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JSONObjectUtils.parse(unknown.body()).get("error")).isEqualTo("not_found");
        Cli.Http query = cli.http("POST", "/introspect?token=abc", "application/x-www-form-urlencoded", new byte[0]);
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.body()).contains("never travel in URLs");
    }

    @Test
    public void fiftySequentialRunsGetFiftyIdsAndAVerifiableChain() throws Exception {
        for (int i = 0; i < 50; i++) {
            Cli.Result r = cli.run("exec", "--job", "seq", "--", "sh", "-c", "printf '%s\\n' \"$RUN_IDENTITY_ID\" >> '" + out.resolve("ids") + "'");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        List<String> ids = Files.readAllLines(out.resolve("ids"));
        assertThat(ids).hasSize(50);
        assertThat(new HashSet<>(ids)).hasSize(50);
        assertThat(cli.run("audit", "verify").exit()).isZero();
        String audit = cli.run("audit", "show", "--job", "seq", "--json").out();
        for (String id : ids) {
            assertThat(audit).contains("\"event\":\"minted\"").contains("\"jti\":\"" + id + "\"");
        }
        assertThat(audit.lines().filter(l -> l.contains("\"reason\":\"block-completed\"")).count()).isEqualTo(50);
    }

    @Test
    public void twentyConcurrentRunsWithServeRunningAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Cli.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            runs.add(pool.submit(() -> cli.run("exec", "--job", "burst", "--", "sh", "-c", save("c" + n))));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Cli.Result r = runs.get(i).get(5, TimeUnit.MINUTES);
            assertThat(r.exit()).as(r.err()).isZero();
            ids.add(Files.readString(out.resolve("c" + i + ".id")));
        }
        pool.shutdown();
        assertThat(ids).hasSize(20);
        assertThat(cli.run("audit", "verify").exit()).isZero();
        String audit = cli.run("audit", "show", "--job", "burst", "--json").out();
        assertThat(audit.lines().filter(l -> l.contains("\"event\":\"minted\"")).count()).isEqualTo(20);
        assertThat(audit.lines().filter(l -> l.contains("\"event\":\"revoked\"")).count()).isEqualTo(20);
        assertThat(audit.lines().filter(l -> l.contains("\"event\":\"run-started\"")).map(l -> l.replaceAll(".*\"build\":(\\d+).*", "$1"))
                .distinct().count()).as("distinct run numbers").isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(cli.active(token("c" + i))).isFalse();
        }
    }

    @Test
    public void noTokenOrPrivateKeyLeaksIntoOutputOrState() throws Exception {
        cli.run("exec", "--job", "leak", "--", "sh", "-c", save("leak") + " && echo done");
        cli.run("exec", "--job", "leak", "--ttl", "9h", "--", "true");
        cli.run("token", "inspect", token("leak"));
        cli.run("audit", "show");
        cli.run("keys", "list");
        cli.post("/revoke", "token=" + token("leak"));
        String token = token("leak");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String keyFile = Files.readString(cli.home.resolve("keys/default.json"));
        String d = keyFile.replaceAll("(?s).*\"d\":\"([^\"]+)\".*", "$1");
        assertThat(d).hasSizeGreaterThan(100);
        String transcript = cli.transcript.toString();
        assertThat(transcript).contains("valid").doesNotContain(token).doesNotContain(signature).doesNotContain(d);
        try (Stream<Path> files = Files.walk(cli.home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain(signature);
                if (!f.equals(cli.home.resolve("keys/default.json"))) {
                    assertThat(text).as(f.toString()).doesNotContain(d);
                }
            }
        }
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 300 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }
}
