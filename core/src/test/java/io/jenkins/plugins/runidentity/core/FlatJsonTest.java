package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The fast audit-line reader agrees with the general JSON parser, or steps aside. */
public class FlatJsonTest {

    @Test
    public void readsWhatTheChainWritesAsTheGeneralParserDoes() throws Exception {
        AuditRecord r = AuditChain.seal(null, AuditEvent.of(AuditEvent.MINTED, Instant.parse("2026-12-03T10:15:30.123456Z"))
                .put("jti", "abc").put("aud", List.of("vault", "aws")).put("none", List.of()).put("build", 42)
                .put("neg", -7).put("zero", 0).put("text", "héllo wörld").build());
        String canonical = r.line().substring(0, r.line().lastIndexOf(",\"hash\":")) + "}";
        Map<String, Object> fast = FlatJson.parse(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(fast).isNotNull().isEqualTo(JSONObjectUtils.parse(canonical));
        assertThat(List.copyOf(fast.keySet())).isEqualTo(List.copyOf(JSONObjectUtils.parse(canonical).keySet()));
        assertThat(AuditRecord.parse(r.line()).content()).isEqualTo(r.content());
    }

    @Test
    public void readsNestedObjectsAsTheGeneralParserDoes() throws Exception {
        // A token's status claim (draft-ietf-oauth-status-list) is the one nested object the engine writes.
        for (String json : List.of("{\"status\":{\"status_list\":{\"idx\":7,\"uri\":\"https://ci.example.com/rs/status/1\"}},\"jti\":\"x\"}",
                "{\"a\":{}}", "{\"a\":{},\"b\":{\"c\":[\"d\"],\"e\":-1}}", "{\"a\":{\"b\":{\"c\":{}}}}")) {
            Map<String, Object> fast = FlatJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(fast).as(json).isNotNull().isEqualTo(JSONObjectUtils.parse(json));
        }
    }

    @Test
    public void stepsAsideForAnythingElse() {
        for (String json : List.of("{\"a\":\"x\\\"y\"}", "{\"a\": 1}", "{\"a\":1.5}", "{\"a\":01}", "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
                "{\"a\":{\"b\":1,\"b\":2}}", "{\"a\":{\"b\":true}}", "{\"a\":{\"b\":1}", "{\"a\":{\"b\":1}}}", "{\"a\":{\"b\" :1}}",
                "{\"a\":true}", "{\"a\":null}", "{\"a\":1,\"a\":2}", "{\"a\":12345678901234567890}", "{\"a\":[1]}",
                "{\"a\":\"x\"", "{\"a\":\"x\"}}", "{\"a\":-}", "{a:1}", "[]", "{\"a\":[\"x\",]}", "{\"a\":\"x\",}")) {
            assertThat(FlatJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).as(json).isNull();
        }
        assertThat(FlatJson.parse("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    public void readsInstantsAsInstantParseDoes() {
        for (String s : List.of("2026-12-03T10:15:30Z", "2026-12-03T10:15:30.120Z", "2026-12-03T10:15:30.000123Z",
                "2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "2026-12-31T23:59:60Z", "2026-02-30T10:15:30Z",
                "2026-13-03T10:15:30Z", "2026-12-03T10:15:30", "2026-12-03T10:15:3aZ", "+12026-12-03T10:15:30Z", "yesterday")) {
            assertThat(outcome(() -> FlatJson.instant(s))).as(s).isEqualTo(outcome(() -> Instant.parse(s)));
        }
    }

    private static Object outcome(java.util.function.Supplier<Instant> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
