package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.jenkins.plugins.runidentity.core.ClientAssertion;
import io.jenkins.plugins.runidentity.core.ClientSecrets;
import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.DownstreamExchange;
import io.jenkins.plugins.runidentity.core.DownstreamHttp;
import io.jenkins.plugins.runidentity.core.IssuerEndpoints;
import io.jenkins.plugins.runidentity.core.KeyRotation;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A real relying party: Keycloak (the newest {@code keycloak-quarkus-dist} Maven Central serves, cached between
 * runs by {@code it/keycloak/keycloak.sh}) trusts our {@code serve}'s issuer through an OIDC identity provider and
 * a {@code federated-jwt} client whose {@code jwt.credential.sub} is {@code job:ci/deploy}. One Keycloak serves
 * the whole class; it is stopped by its own process id. If the distribution cannot be downloaded (and none is
 * cached) or no Java 21+ is installed, every test is reported as skipped with the reason.
 */
public class KeycloakFederationIT {
    static final Path HARNESS = Path.of(System.getProperty("keycloakHarnessDir", "../it/keycloak")).toAbsolutePath().normalize();
    static final Path RUN_DIR = Path.of("target", "keycloak-it").toAbsolutePath();
    static final String JOB = "ci/deploy";
    static final String REALM_NAME = "run-identity";
    static final String CLIENT_ID = "run-identity-ci";

    @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
    @Rule public TemporaryFolder each = new TemporaryFolder();

    static Cli cli;
    static boolean keycloakStarted;
    static String realm;
    static String tokenEndpoint;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** What the run measured; written to target/keycloak-federation-figures.md. */
    static final Map<String, String> figures = new LinkedHashMap<>();
    static int exchanges;

    @BeforeClass
    public static void startKeycloakTrustingOurIssuer() throws Exception {
        Files.createDirectories(RUN_DIR);
        cli = new Cli(tmp.newFolder("state").toPath());
        cli.init();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        realm = "http://127.0.0.1:" + port + "/realms/" + REALM_NAME;
        tokenEndpoint = realm + "/protocol/openid-connect/token";
        Files.writeString(cli.home.resolve("config.yaml"), config(cli.issuer, realm));
        cli.serve();

        ProcessBuilder pb = new ProcessBuilder(HARNESS.resolve("keycloak.sh").toString(), "start", String.valueOf(port),
                HARNESS.resolve("realm-template.json").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_")); // Keycloak reads every KC_* variable as an option
        pb.environment().put("RI_KC_RUN_DIR", RUN_DIR.toString());
        // On a busy machine (load 34 on 2 cores) a start took 205 s; the harness's default limit is 240 s.
        pb.environment().putIfAbsent("RI_KC_START_TIMEOUT", "360");
        pb.environment().put("ISSUER_URL", cli.issuer);
        pb.environment().put("JWKS_URL", cli.issuer + "/jwks");
        pb.environment().put("SUBJECT", "job:" + JOB);
        pb.environment().put("REALM", REALM_NAME);
        pb.environment().put("CLIENT_ID", CLIENT_ID);
        pb.redirectOutput(RUN_DIR.resolve("start.out").toFile()).redirectError(RUN_DIR.resolve("start.err").toFile());
        long t0 = System.nanoTime();
        Process start = pb.start();
        if (!start.waitFor(420, TimeUnit.SECONDS)) {
            start.destroyForcibly();
            throw new AssertionError("keycloak.sh start did not finish in 420 s; see " + RUN_DIR);
        }
        keycloakStarted = true; // from here on, @AfterClass stops whatever was recorded
        String err = Files.readString(RUN_DIR.resolve("start.err"));
        if (start.exitValue() == 77) {
            String reason = err.lines().filter(l -> l.contains("SKIP:")).findFirst().orElse("keycloak.sh start exited 77");
            Assume.assumeTrue("Keycloak cannot run here: " + reason.replaceFirst(".*SKIP: ", ""), false);
        }
        assertThat(start.exitValue()).as("keycloak.sh start failed:\n" + err).isZero();
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("Keycloak ([0-9][0-9.]*[0-9]) on JVM")
                .matcher(Files.readString(RUN_DIR.resolve("keycloak.log")));
        figures.put("Keycloak version", version.find() ? version.group(1) : "(not in keycloak.log)");
        Path load = Path.of("/proc/loadavg");
        figures.put("load average (1 min) when Keycloak answered", Files.exists(load) ? Files.readString(load).split(" ")[0] : "?");
        figures.put("Keycloak start (until the realm answers), s", Files.readString(RUN_DIR.resolve("start.out")).strip());
        figures.put("keycloak.sh start incl. fetch and render, s", String.valueOf((System.nanoTime() - t0) / 1_000_000_000L));
    }

    /** The tested setup: the default template, plus one for Keycloak assertions, and three exchange profiles. */
    static String config(String issuer, String realm) {
        String token = realm + "/protocol/openid-connect/token";
        String block = String.join("\n",
                "    # Assertions for Keycloak: its realm issuer is the only audience Keycloak accepts (the token endpoint is",
                "    # listed only so that the wrong-audience profile below can show Keycloak's refusal).",
                "    - id: keycloak",
                "      audiences: [\"%s\", \"%s\"]",
                "      subject: \"job:${job}\"",
                "      defaultTtl: 1m",
                "      maxTtl: 1m",
                "      allowedJobs: [\"ci/**\"]",
                "      issuers: [default]",
                "  exchanges:",
                "    - id: keycloak",
                "      grant: client-credentials",
                "      tokenEndpoint: %s",
                "      revocationEndpoint: %s/protocol/openid-connect/revoke",
                "      discovery: %s",
                "      template: keycloak",
                "      clientId: run-identity-ci",
                "    - id: keycloak-unrevoked",
                "      tokenEndpoint: %s",
                "      discovery: %s",
                "      template: keycloak",
                "    - id: wrong-audience",
                "      tokenEndpoint: %s",
                "      assertionAudience: %s",
                "      template: keycloak",
                "  # nbf is set this far");
        return InitCommand.sampleConfig(issuer).replace("  # nbf is set this far",
                block.formatted(realm, token, token, realm, realm, token, realm, token, token));
    }

    @AfterClass
    public static void stopKeycloak() throws Exception {
        try {
            if (keycloakStarted) {
                ProcessBuilder pb = new ProcessBuilder(HARNESS.resolve("keycloak.sh").toString(), "stop");
                pb.environment().keySet().removeIf(k -> k.startsWith("KC_"));
                pb.environment().put("RI_KC_RUN_DIR", RUN_DIR.toString());
                Process stop = pb.redirectErrorStream(true).redirectOutput(RUN_DIR.resolve("stop.out").toFile()).start();
                stop.waitFor(90, TimeUnit.SECONDS);
            }
        } finally {
            if (cli != null) {
                cli.close();
            }
            if (!figures.isEmpty()) {
                figures.put("exchanges by run-identity exec (successful)", String.valueOf(exchanges));
                String table = figures.entrySet().stream().map(e -> "| " + e.getKey() + " | " + e.getValue() + " |")
                        .collect(Collectors.joining("\n", "| figure | value |\n| --- | --- |\n", "\n"));
                Files.writeString(Path.of("target", "keycloak-federation-figures.md"), table);
                System.out.println(table);
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    record Answer(int status, String body) {}

    /** A refusal as Keycloak answers it. */
    record Refusal(String name, int status, String error, String description) {}

    static Answer post(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Map<String, String> clientCredentials(String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        return form;
    }

    /**
     * Runs {@code use} with an engine on the shared state folder and a run of {@code job} — what the test itself
     * needs to mint assertions the way exec's exchanges do (for replays and for Keycloak's introspection).
     */
    interface WithRun<T> {
        T apply(DownstreamExchange exchange, Session run, String owner) throws Exception;
    }

    static <T> T withRun(String job, WithRun<T> use) throws Exception {
        try (RunIdentityEngine engine = StateHome.locate(cli.home).open(Clock.systemUTC())) {
            String owner = new ProcessOwner().current();
            RunFacts facts = engine.startRun(job, owner, b -> b.cause("KeycloakFederationIT"));
            Session run = engine.openSession(MintRequest.of("default", "default"), facts, owner);
            try {
                return use.apply(new DownstreamExchange(engine, DownstreamHttp.jdk(), ClientSecrets.NONE, Clock.systemUTC()), run, owner);
            } finally {
                engine.closeSession(run.id(), CloseReason.BLOCK_COMPLETED);
            }
        }
    }

    /** Keycloak's own view of an access token: RFC 7662 introspection, authenticated with a fresh assertion. */
    static Map<String, Object> keycloakIntrospects(String accessToken) throws Exception {
        return withRun(JOB, (exchange, run, owner) -> {
            try (ClientAssertion a = exchange.mintAssertion("keycloak", run, owner)) {
                Map<String, String> form = clientCredentials(a.revealSerialized());
                form.remove("grant_type");
                form.put("token", accessToken);
                Answer r = post(tokenEndpoint + "/introspect", form);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                return JSONObjectUtils.parse(r.body());
            }
        });
    }

    private String save(Path out, String name) {
        return "cp \"$RUN_IDENTITY_EXCHANGED_TOKEN_FILE\" '" + out.resolve(name) + ".tmp' && mv '" + out.resolve(name) + ".tmp' '"
                + out.resolve(name) + "'";
    }

    private List<Map<String, Object>> audit(String event) throws Exception {
        Cli.Result r = cli.run("audit", "show", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            Map<String, Object> rec = JSONObjectUtils.parse(line);
            if (event.equals(rec.get("event"))) {
                out.add(rec);
            }
        }
        return out;
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    // --- the tests -------------------------------------------------------------------------------------------

    @Test
    public void execExchangesForAKeycloakTokenAndRevokesItWhenTheCommandEnds() throws Exception {
        Path out = each.newFolder().toPath();
        Path go = out.resolve("go");
        Process exec = cli.builder("exec", "--job", JOB, "--exchange", "keycloak", "--", "sh", "-c",
                "test \"$RUN_IDENTITY_EXCHANGED_TOKEN\" = \"$(cat \"$RUN_IDENTITY_EXCHANGED_TOKEN_FILE\")\" || exit 9; "
                        + "stat -c %a \"$RUN_IDENTITY_EXCHANGED_TOKEN_FILE\" > '" + out.resolve("mode") + "'; "
                        + "echo \"$RUN_IDENTITY_EXCHANGED_TOKEN_TYPE\" > '" + out.resolve("type") + "'; "
                        + save(out, "kc.token") + "; i=0; while [ ! -f '" + go + "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done")
                .redirectErrorStream(true).redirectOutput(out.resolve("exec.log").toFile()).start();
        waitFor(out.resolve("kc.token"));
        String accessToken = Files.readString(out.resolve("kc.token")).strip();
        assertThat(Files.readString(out.resolve("mode")).strip()).isEqualTo("600");
        assertThat(Files.readString(out.resolve("type")).strip()).isEqualTo("Bearer");

        Map<String, Object> live = keycloakIntrospects(accessToken);
        assertThat(live.get("active")).as("Keycloak's introspection while the command runs").isEqualTo(true);
        assertThat(live.get("iss")).isEqualTo(realm);
        assertThat(live.get("azp")).isEqualTo(CLIENT_ID);
        assertThat(live.get("preferred_username")).isEqualTo("service-account-" + CLIENT_ID);

        Files.writeString(go, "");
        assertThat(exec.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(exec.exitValue()).as(Files.readString(out.resolve("exec.log"))).isZero();
        exchanges++;
        Map<String, Object> after = keycloakIntrospects(accessToken);
        assertThat(after.get("active")).as("Keycloak's introspection after exec revoked the token").isEqualTo(false);
        figures.put("introspection of the exchanged token: during / after the run", live.get("active") + " / " + after.get("active"));

        List<Map<String, Object>> exchanged = audit("exchanged");
        Map<String, Object> last = exchanged.get(exchanged.size() - 1);
        assertThat(last).containsEntry("profile", "keycloak").containsEntry("endpoint", tokenEndpoint)
                .containsEntry("grant", "client-credentials").containsEntry("job", JOB).containsEntry("expires_in", 300L);
        List<Map<String, Object>> revoked = audit("downstream-revoked");
        assertThat(revoked.get(revoked.size() - 1)).containsEntry("profile", "keycloak").containsEntry("session", last.get("session"))
                .containsEntry("endpoint", realm + "/protocol/openid-connect/revoke");
        assertThat(audit("revoked").stream().filter(r -> "assertion-presented".equals(r.get("reason"))).count())
                .as("the exchange's and the revocation's assertions, each revoked after use").isGreaterThanOrEqualTo(2);
        assertThat(cli.transcript.toString()).doesNotContain(accessToken);
        try (Stream<Path> files = Files.walk(cli.home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(accessToken);
            }
        }
    }

    @Test
    public void sigtermAlsoRevokesTheDownstreamToken() throws Exception {
        Path out = each.newFolder().toPath();
        Process exec = cli.builder("exec", "--job", JOB, "--exchange", "keycloak", "--", "sh", "-c",
                save(out, "kc.token") + " && sleep 60").redirectErrorStream(true).redirectOutput(out.resolve("exec.log").toFile()).start();
        waitFor(out.resolve("kc.token"));
        exchanges++;
        exec.destroy(); // SIGTERM
        assertThat(exec.waitFor(60, TimeUnit.SECONDS)).isTrue();
        exec.descendants().forEach(ProcessHandle::destroyForcibly);
        assertThat(exec.exitValue()).as(Files.readString(out.resolve("exec.log"))).isEqualTo(143);
        assertThat(keycloakIntrospects(Files.readString(out.resolve("kc.token")).strip()).get("active"))
                .as("revoked by exec's SIGTERM handler").isEqualTo(false);
    }

    @Test
    public void withoutARevocationEndpointTheDownstreamTokenOutlivesTheCommand() throws Exception {
        Path out = each.newFolder().toPath();
        Cli.Result r = cli.run("exec", "--job", JOB, "--exchange", "keycloak-unrevoked", "--", "sh", "-c", save(out, "kc.token"));
        assertThat(r.exit()).as(r.err()).isZero();
        exchanges++;
        assertThat(keycloakIntrospects(Files.readString(out.resolve("kc.token")).strip()).get("active"))
                .as("nothing revoked it: the profile names no revocation endpoint").isEqualTo(true);
    }

    @Test
    public void keycloakRefusesReplaysWrongAudiencesReusedTokensAndUnknownSubjects() throws Exception {
        List<Refusal> expected = List.of(
                new Refusal("replayed assertion", 400, "invalid_client", "Token reuse detected"),
                new Refusal("wrong audience (exec --exchange wrong-audience)", 400, "invalid_client", "Invalid token audience"),
                new Refusal("revoked-then-reused assertion", 400, "invalid_client", "Token reuse detected"),
                new Refusal("unknown subject (exec --job ci/other)", 401, "invalid_client", "Invalid client or Invalid client credentials"),
                new Refusal("revoked downstream token at introspection", 200, null, null));
        List<String> seen = new ArrayList<>();

        // 1. The same assertion twice: accepted once, then refused.
        Answer[] replay = withRun(JOB, (exchange, run, owner) -> {
            try (ClientAssertion a = exchange.mintAssertion("keycloak", run, owner)) {
                return new Answer[] {post(tokenEndpoint, clientCredentials(a.revealSerialized())),
                    post(tokenEndpoint, clientCredentials(a.revealSerialized()))};
            }
        });
        assertThat(replay[0].status()).as(replay[0].body()).isEqualTo(200);
        seen.add(check(expected.get(0), replay[1]));

        // 2. exec with a profile whose assertion audience is the token endpoint: the command never runs.
        seen.add(checkExec(expected.get(1), cli.run("exec", "--job", JOB, "--exchange", "wrong-audience", "--", "sh", "-c", "echo RAN")));

        // 3. An assertion used once, then revoked by us (introspection at our issuer says inactive), then reused.
        Object[] reused = withRun(JOB, (exchange, run, owner) -> {
            ClientAssertion a = exchange.mintAssertion("keycloak", run, owner);
            Answer first = post(tokenEndpoint, clientCredentials(a.revealSerialized()));
            a.close();
            boolean activeAtOurIssuer = cli.active(a.revealSerialized());
            return new Object[] {first, activeAtOurIssuer, post(tokenEndpoint, clientCredentials(a.revealSerialized()))};
        });
        assertThat(((Answer) reused[0]).status()).isEqualTo(200);
        assertThat(reused[1]).as("our introspection after the revocation").isEqualTo(false);
        seen.add(check(expected.get(2), (Answer) reused[2]));

        // 4. A job whose subject Keycloak's client does not expect.
        seen.add(checkExec(expected.get(3), cli.run("exec", "--job", "ci/other", "--exchange", "keycloak", "--", "sh", "-c", "echo RAN")));

        // 5. A Keycloak token revoked at the end of its run, presented again: introspection says inactive.
        Path out = each.newFolder().toPath();
        Cli.Result ok = cli.run("exec", "--job", JOB, "--exchange", "keycloak", "--", "sh", "-c", save(out, "kc.token"));
        assertThat(ok.exit()).as(ok.err()).isZero();
        exchanges++;
        Map<String, Object> introspected = keycloakIntrospects(Files.readString(out.resolve("kc.token")).strip());
        assertThat(introspected).as("Keycloak's introspection of the revoked token").isEqualTo(Map.of("active", false));
        seen.add(expected.get(4).name() + ": 200 {\"active\":false}");

        assertThat(seen).hasSize(expected.size());
        for (int i = 0; i < seen.size(); i++) {
            figures.put("refusal " + (i + 1), seen.get(i).replace("|", "\\|"));
        }
        List<Map<String, Object>> failed = audit("exchange-failed");
        assertThat(failed).extracting(r -> r.get("profile")).contains("wrong-audience", "keycloak");
        assertThat(audit("revoked").stream().filter(r -> "exchange-failed".equals(r.get("reason"))).count())
                .as("the run's own token is revoked when its exchange fails").isGreaterThanOrEqualTo(2);
    }

    private static String check(Refusal expected, Answer a) throws Exception {
        assertThat(a.status()).as(expected.name() + ": " + a.body()).isEqualTo(expected.status());
        assertThat(JSONObjectUtils.parse(a.body())).as(expected.name())
                .isEqualTo(Map.of("error", expected.error(), "error_description", expected.description()));
        return expected.name() + ": " + a.status() + " " + a.body();
    }

    private static String checkExec(Refusal expected, Cli.Result r) {
        assertThat(r.exit()).as(expected.name() + ": " + r.err()).isEqualTo(2);
        assertThat(r.out()).as(expected.name() + ": the command must not run").doesNotContain("RAN");
        assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("run-identity exec: exchange '").contains(" answered " + expected.status() + " '"
                + expected.error() + "': '" + expected.description() + "'");
        return expected.name() + ": exit " + r.exit() + ", " + r.err().strip();
    }

    @Test
    public void afterAKeyRotationKeycloakStillAcceptsNewAssertions() throws Exception {
        Path out = each.newFolder().toPath();
        Cli.Result before = cli.run("exec", "--job", JOB, "--exchange", "keycloak", "--", "true");
        assertThat(before.exit()).as(before.err()).isZero();
        exchanges++;
        String oldKid = lastAssertionKid();

        // The command refuses to activate a next key that has been in the JWKS for less than one cache period (5m),
        // and this state is younger than that. So the engine rotates with its clock moved past that period: the
        // same engine-driven rotation (engine.rotateKeys), without waiting five minutes in CI.
        Cli.Result refused = cli.run("keys", "rotate", "--issuer", "default");
        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
        assertThat(refused.out()).contains("default: not rotated: the next key");
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(IssuerEndpoints.CACHE_SECONDS + 1));
        KeyRotation rotation;
        try (RunIdentityEngine engine = RunIdentityEngine.start(StateHome.locate(cli.home).readConfig(),
                FileStateStore.open(cli.home, Clock.systemUTC()), later)) {
            rotation = engine.rotateKeys("default");
        }
        assertThat(rotation.rotated()).isTrue();
        assertThat(rotation.retiredKid()).isEqualTo(oldKid);

        // No serve restart and no waiting: the new key was published (as the next key) before Keycloak first
        // fetched our JWKS, so Keycloak knows it already.
        Cli.Result after = cli.run("exec", "--job", JOB, "--exchange", "keycloak", "--", "sh", "-c", save(out, "kc.token"));
        assertThat(after.exit()).as(after.err()).isZero();
        exchanges++;
        String newKid = lastAssertionKid();
        assertThat(newKid).isEqualTo(rotation.activeKid()).isNotEqualTo(oldKid);
        assertThat(keycloakIntrospects(Files.readString(out.resolve("kc.token")).strip()).get("active"))
                .as("revoked at the end, like any other").isEqualTo(false);
        figures.put("rotation (engine.rotateKeys)", "old kid " + oldKid.substring(0, 8) + "…, new kid " + newKid.substring(0, 8)
                + "…: the next exchange was accepted at once (exit 0)");
    }

    /** The kid of the newest assertion minted for Keycloak (template 'keycloak'). */
    private String lastAssertionKid() throws Exception {
        List<Map<String, Object>> minted = audit("minted").stream().filter(r -> "keycloak".equals(r.get("template"))).toList();
        return (String) minted.get(minted.size() - 1).get("kid");
    }
}
