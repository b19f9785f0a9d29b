package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A thousand sessions open at once, opened through the engine on the state a running {@code serve} uses (as
 * {@code exec} processes would), introspected while open and revoked over loopback HTTP, then introspected again.
 */
public class ServeLoadIT {
    static final int SESSIONS = Integer.getInteger("loadSessions", 1_000);
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private Cli cli;
    private RunIdentityEngine engine;
    private ExecutorService pool;

    @Before
    public void start() throws Exception {
        cli = Cli.served(tmp);
        engine = StateHome.locate(cli.home).open(Clock.systemUTC());
        pool = Executors.newFixedThreadPool(16);
    }

    @After
    public void stop() throws Exception {
        pool.shutdownNow();
        engine.close();
        cli.close();
    }

    @Test
    public void aThousandSessionsThroughServeLoseNothing() throws Exception {
        String owner = new ProcessOwner().current();
        List<Session> sessions = all(i -> () -> engine.openSession(MintRequest.of(null, "default"),
                RunFacts.builder("load/job-" + (i % 20), i + 1).build(), owner));
        List<String> tokens = sessions.stream().map(s -> s.token().revealSerialized()).toList();

        List<Map<String, Object>> open = all(i -> () -> introspect(tokens.get(i)));
        for (int i = 0; i < SESSIONS; i++) {
            assertThat(open.get(i)).as("session " + i + " while open").containsEntry("active", true)
                    .containsEntry("jti", sessions.get(i).token().jti());
        }
        List<Integer> revoked = all(i -> () -> cli.post("/revoke", "token=" + URLEncoder.encode(tokens.get(i), StandardCharsets.UTF_8)).status());
        assertThat(revoked).containsOnly(200);
        List<Map<String, Object>> after = all(i -> () -> introspect(tokens.get(i)));
        assertThat(after).allSatisfy(m -> assertThat(m).isEqualTo(Map.of("active", false)));

        assertThat(engine.verifyAudit().intact()).isTrue();
        List<AuditRecord> minted = engine.auditRecords(r -> "minted".equals(r.type()));
        List<AuditRecord> revocations = engine.auditRecords(r -> "revoked".equals(r.type()));
        Set<String> mintedJtis = new HashSet<>(minted.stream().map(r -> r.string("jti")).toList());
        Set<String> revokedJtis = new HashSet<>(revocations.stream().map(r -> r.string("jti")).toList());
        long lost = sessions.stream().map(s -> s.token().jti()).filter(j -> !mintedJtis.contains(j) || !revokedJtis.contains(j)).count();
        assertThat(lost).as("records lost").isZero();
        assertThat(revocations).hasSize(SESSIONS).allSatisfy(r -> assertThat(r.string("reason")).isEqualTo("revoked-by-holder"));
        assertThat(engine.openSessions()).as("registry: nothing left open").isEmpty();
        assertThat(command("audit", "verify").exit()).isZero();
        String serveOutput = cli.transcript.toString();
        assertThat(serveOutput).doesNotContain("failed").doesNotContain("Exception");
        SecretScan.assertPrivate(cli.home);
        SecretScan.of(cli.home).tokens(tokens).text("serve and command output", serveOutput).assertClean();
        System.out.println("serve load: " + SESSIONS + " concurrent sessions, " + (3 * SESSIONS) + " HTTP requests on loopback"
                + " (introspect while open, revoke, introspect after), 0 errors; " + minted.size() + " minted and "
                + revocations.size() + " revoked records, " + lost + " lost; registry empty after");
    }

    @Test
    public void tokensInUrlsAreRefusedAndNotActedOn() throws Exception {
        Session s = engine.openSession(MintRequest.of(null, "default"), RunFacts.builder("url/job", 1).build(), new ProcessOwner().current());
        String token = s.token().revealSerialized();
        for (String path : new String[] {"/introspect?token=", "/revoke?token="}) {
            Cli.Http r = cli.http("POST", path + token, "application/x-www-form-urlencoded", new byte[0]);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.body()).contains("never travel in URLs").doesNotContain(token);
            Cli.Http both = cli.http("POST", path + token, "application/x-www-form-urlencoded", ("token=" + token).getBytes(StandardCharsets.UTF_8));
            assertThat(both.status()).as(path + " with a body too").isEqualTo(400);
        }
        assertThat(cli.active(token)).as("a token sent in a URL revoked nothing").isTrue();
        SecretScan.of(cli.home).tokens(List.of(token)).text("serve output", cli.transcript.toString()).assertClean();
    }

    @Test
    public void hostileJobNamesStayLiteralThroughTheCommand() throws Exception {
        // Line breaks, control and bidi characters, ':' and '\\' are refused in job names (below); everything else
        // stays literal.
        String job = "team/\"q\" < > & ${branch} $${job} \u00fc\ud83d\ude00 end' next line";
        java.nio.file.Path saved = tmp.newFolder().toPath().resolve("token");
        Cli.Result r = cli.run("exec", "--job", job, "--", "sh", "-c", "cp \"$RUN_IDENTITY_TOKEN_FILE\" '" + saved + "'");
        assertThat(r.exit()).as(r.err()).isZero();
        String token = java.nio.file.Files.readString(saved).trim();
        Map<String, Object> claims = JSONObjectUtils.parse(new com.nimbusds.jose.util.Base64URL(token.split("\\.")[1]).decodeToString());
        assertThat(claims.get("job")).isEqualTo(job);
        assertThat(claims.get("sub")).isEqualTo("job:" + job);
        Cli.Result shown = command("audit", "show", "--json", "--job", job);
        List<String> lines = shown.out().lines().toList();
        assertThat(lines).hasSize(3); // run-started, minted, revoked
        for (String line : lines) {
            assertThat(JSONObjectUtils.parse(line).get("job")).isEqualTo(job);
        }
        assertThat(command("audit", "show", "--job", job).out().lines().count()).as("one line per record for people too").isEqualTo(3);
        assertThat(command("audit", "verify").exit()).isZero();
        SecretScan.of(cli.home).tokens(List.of(token)).text("command output", cli.transcript.toString()).assertClean();
    }

    @Test
    public void jobNamesThatReadOrDisplayAsAnotherJobAreRefusedInOneLine() throws Exception {
        for (String job : new String[] {"payments/../prod", "payments//x", "payments/", "team/x\u202eevil\nnext line",
            "deploy:branch:main", "team\\prod"}) {
            Cli.Result r = cli.run("exec", "--job", job, "--", "true");
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).contains("the job name").doesNotContain("\u202e");
        }
        assertThat(command("audit", "show", "--event", "minted").out()).isEmpty();
        String shown = command("audit", "show", "--event", "denied").out() + command("audit", "show", "--json", "--event", "denied").out();
        assertThat(shown.lines()).hasSize(12);
        assertThat(shown).doesNotContain("\u202e");
        assertThat(command("audit", "verify").exit()).isZero();
    }

    /** The command's own code, in this JVM: for the commands that need no process of their own. */
    private Cli.Result command(String... args) {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = cli.home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = RunIdentityCommand.run(all, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        synchronized (cli.transcript) {
            cli.transcript.append(out).append(err);
        }
        return new Cli.Result(exit, out.toString(), err.toString());
    }

    private Map<String, Object> introspect(String token) throws Exception {
        Cli.Http r = cli.post("/introspect", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        return JSONObjectUtils.parse(r.body());
    }

    private <T> List<T> all(IntFunction<Callable<T>> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            futures.add(pool.submit(task.apply(i)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(5, TimeUnit.MINUTES));
        }
        return out;
    }
}
