package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Hostile run facts and template values: every claim carries the literal value as valid JSON, every audit line stays
 * one intact record, and nothing is expanded twice.
 */
public class InjectionTest extends EngineFixture {
    /** Values a job, branch or node name could carry; some are only reachable through an adapter's own APIs. */
    static final String[] HOSTILE = {
        "quote\"d", "back\\slash", "new\nline", "carriage\rreturn", "tab\tbed", "nul\u0000byte", "bell\u0007esc\u001b[31m",
        "del\u007f", "line\u2028separator\u2029", "bidi\u202eevil\u202c", "ünïcödé/日本語/😀", "zero\u200bwidth",
        "${job}", "${branch}${build_number}", "$${job}", "${", "}", "$", "${unknown}", "#{x}%{y}{{z}}",
        "\",\"hash\":\"" + "0".repeat(64), "\"}\n{\"seq\":1,\"time\":\"x\",\"event\":\"minted\"", "</script><script>alert(1)</script>",
        "' OR '1'='1", "../../etc/passwd", "a/b/../../c", "%0a%0d%25", "x".repeat(700), "😀".repeat(200),
        "y".repeat(79) + "😀tail",
    };

    @Override
    protected EngineConfig config() {
        return new EngineConfig(List.of(IssuerConfig.of("corp", Fixtures.ISSUER_URL)), List.of(
                ScopeTemplate.builder("echo").audiences("a").allowedJobs("**")
                        .subject("job:${job}:branch:${branch}").claim("node_seen", "${node}|$${node}|${cause}")
                        .claim("fixed", "\"quoted\" \\ \u00e9 \u2028 $${literally}").build(),
                ScopeTemplate.builder("strict").audiences("a").allowedJobs("team/*").allowedBranches("main").build()));
    }

    @Test
    public void hostileFactsStayLiteralInClaimsAndAudit() throws Exception {
        int n = 0;
        List<String> jobs = new java.util.ArrayList<>();
        for (String v : HOSTILE) {
            n++;
            String job = jobFor(v, n);
            jobs.add(job);
            RunFacts facts = RunFacts.builder(job, n).branch(v).node(v).cause(v).buildUrl(v).controller(v).build();
            Session s = engine.openSession(MintRequest.of(null, "echo"), facts, v);
            String token = s.token().revealSerialized();
            // Decode by hand: the payload must be valid JSON that gives back every value exactly.
            String payload = new String(new Base64URL(token.split("\\.")[1]).decode(), StandardCharsets.UTF_8);
            Map<String, Object> claims = JSONObjectUtils.parse(payload);
            String what = "value #" + n;
            assertThat(claims.get("job")).as(what).isEqualTo(job);
            assertThat(claims.get("branch")).as(what).isEqualTo(v);
            assertThat(claims.get("sub")).as(what).isEqualTo("job:" + job + ":branch:" + v);
            assertThat(claims.get("node_seen")).as(what).isEqualTo(v + "|${node}|" + v);
            assertThat(claims.get("fixed")).as(what).isEqualTo("\"quoted\" \\ \u00e9 \u2028 ${literally}");
            assertThat(claims.get("build_url")).as(what).isEqualTo(v);
            assertThat(engine.introspect("corp", token)).as(what).isPresent();
            assertThat(JWSObject.parse(token).getPayload().toJSONObject().get("branch")).as(what).isEqualTo(v);
            assertThat(engine.identitiesOf(job, n)).as(what).hasSize(1);
            engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED);
        }
        assertAuditIntact();
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).extracting(r -> r.string("job")).containsExactlyElementsOf(jobs);
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).extracting(r -> r.string("owner")).containsExactly(HOSTILE);
    }

    @Test
    public void hostileRequestsAreDeniedWithAnIntactAuditLine() throws Exception {
        int n = 0;
        for (String v : HOSTILE) {
            n++;
            RunFacts facts = RunFacts.builder(jobFor(v, n), n).branch(v).build();
            MintRequest[] requests = {MintRequest.of(v, "echo"), MintRequest.of(null, v), MintRequest.of(null, "strict"),
                MintRequest.of(null, "echo").withAudience(v), MintRequest.of(null, "echo").withTtl(v), MintRequest.of(null, "echo").withScope(v)};
            for (MintRequest r : requests) {
                assertThatThrownBy(() -> engine.openSession(r, facts, v)).as("value #" + n + " " + r.template())
                        .isInstanceOf(RequestDeniedException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").hasSizeLessThan(2000));
            }
        }
        assertAuditIntact();
        assertThat(engine.auditRecords(r -> "denied".equals(r.type()))).hasSize(HOSTILE.length * 6);
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).isEmpty();
    }

    @Test
    public void aFactTooLongForAVerifiableTokenIsDeniedNotMinted() throws Exception {
        String huge = "x".repeat(20_000);
        assertThatThrownBy(() -> engine.openSession(MintRequest.of(null, "echo"),
                RunFacts.builder(huge, 1).branch("b").node("n").cause("c").build(), "t"))
                .isInstanceOf(RequestDeniedException.class).hasMessageContaining("more than the 16384 that verifiers accept")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        assertThat(engine.auditRecords(r -> "minted".equals(r.type()))).isEmpty();
        assertThat(engine.auditRecords(r -> "denied".equals(r.type()))).singleElement()
                .satisfies(r -> assertThat(r.string("job")).isEqualTo(huge));
        assertAuditIntact();
    }

    @Test
    public void unpairedSurrogatesNeitherBreakTheChainNorReachAClaim() throws Exception {
        String lone = "half\ud83d";
        // A run fact that is not valid Unicode text cannot become a claim...
        assertThatThrownBy(() -> RunFacts.builder(lone, 1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> RunFacts.builder("job", 1).branch("\udc00").build()).isInstanceOf(IllegalArgumentException.class);
        // ...and text that reaches the audit log from anywhere else is recorded faithfully, chain intact.
        assertThatThrownBy(() -> engine.openSession(MintRequest.of(null, lone), Fixtures.run("team/app", 1), "owner\udc00"))
                .isInstanceOf(RequestDeniedException.class);
        restart();
        assertAuditIntact();
        AuditRecord denied = engine.auditRecords(r -> "denied".equals(r.type())).get(0);
        assertThat(denied.string("template")).isEqualTo(lone);
        assertThat(denied.string("owner")).isEqualTo("owner\udc00");
        assertThat(engine.openSession(MintRequest.of(null, "echo"), RunFacts.builder("after", 1).branch("b").node("n").cause("c").build(),
                "t")).isNotNull();
    }

    @Test
    public void aLongNameEndingInAnEmojiIsCutBetweenCharactersNotInsideOne() throws Exception {
        String job = "y".repeat(79) + "😀tail";
        assertThatThrownBy(() -> engine.openSession(MintRequest.of(null, "strict"), Fixtures.run(job, 1), "t"))
                .isInstanceOf(RequestDeniedException.class)
                .satisfies(e -> assertThat(isWellFormed(e.getMessage())).as("the message is valid Unicode").isTrue());
        assertThat(isWellFormed(UserText.quote(job))).isTrue();
        assertAuditIntact();
    }

    /**
     * The hostile value itself where it is a possible job name; otherwise one that differs from it only by what job
     * names may not hold (control and bidi characters, '#', ':', '\\', empty, '.' and '..' segments: see
     * {@link JobNameTest}).
     */
    static String jobFor(String v, int n) {
        if (RunFacts.jobNameProblem(v) == null) {
            return v;
        }
        String job = "hostile" + n + "/" + v.replaceAll("[\\p{Cc}\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069#:\\\\]", "_")
                .replaceAll("(^|/)\\.\\.?(?=/|$)", "$1_").replaceAll("/+", "/").replaceAll("/$", "_");
        assertThat(RunFacts.jobNameProblem(job)).as(job).isNull();
        return job;
    }

    private void assertAuditIntact() throws Exception {
        assertThat(engine.verifyAudit().describe()).startsWith("audit log intact");
        List<String> lines = Files.readAllLines(dir.resolve("audit.log"), StandardCharsets.UTF_8);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":").endsWith("\"}"));
        assertThat(AuditChain.verify(lines.iterator()).intact()).isTrue();
        assertThat((long) lines.size()).isEqualTo(engine.verifyAudit().goodRecords());
    }

    private static boolean isWellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }
}
