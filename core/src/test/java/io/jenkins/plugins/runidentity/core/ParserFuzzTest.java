package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Seeded property tests: many thousands of generated inputs for every parser that takes text from outside. A parser
 * may refuse an input only with its documented exception; what it accepts must obey the documented properties.
 */
public class ParserFuzzTest {
    /** Fixed, so that a failure can be replayed; printed with the figures. */
    static final long SEED = 20261203L;
    private static final int N = 20_000;
    private static final Map<String, Integer> COUNTS = new LinkedHashMap<>();
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @AfterClass
    public static void report() {
        System.out.println("parser fuzz (seed " + SEED + "): " + COUNTS + ", total " + COUNTS.values().stream().mapToInt(i -> i).sum());
    }

    private static synchronized void count(String what, int n) {
        COUNTS.merge(what, n, Integer::sum);
    }

    static String randomText(Random r, String alphabet, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(20) == 0 ? (char) r.nextInt(0x10000) : alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    public void durations() {
        Random r = new Random(SEED);
        String alphabet = "0123456789dhmsDHMSPTpt.-+ ,:eE\u0660\uff11\t";
        for (int i = 0; i < N; i++) {
            String text = randomText(r, alphabet, 14);
            Duration d;
            try {
                d = DurationFormat.parse(text);
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).as(text).doesNotContain("\n");
                continue;
            }
            assertThat(d).as(text).isPositive().isLessThanOrEqualTo(Duration.ofDays(3650));
            assertThat(d.getNano()).as(text).isZero();
            assertThat(DurationFormat.parse(DurationFormat.format(d))).as(text).isEqualTo(d);
        }
        // Generated valid compact forms parse to the sum of their parts.
        for (int i = 0; i < N; i++) {
            long days = r.nextInt(3), hours = r.nextInt(30), minutes = r.nextInt(100), seconds = 1 + r.nextInt(100);
            boolean withSeconds = r.nextBoolean() || days + hours + minutes == 0;
            StringBuilder text = new StringBuilder();
            if (days > 0) text.append(days).append('d');
            if (hours > 0) text.append(hours).append('h');
            if (minutes > 0) text.append(minutes).append('m');
            if (withSeconds) text.append(seconds).append('s');
            long expected = days * 86400 + hours * 3600 + minutes * 60 + (withSeconds ? seconds : 0);
            assertThat(DurationFormat.parse(text.toString()).getSeconds()).as(text.toString()).isEqualTo(expected);
        }
        count("durations", 2 * N);
    }

    @Test
    public void templateFormats() {
        Random r = new Random(SEED + 1);
        Map<String, String> values = new LinkedHashMap<>();
        for (String v : RunFacts.VARIABLES) {
            values.put(v, InjectionTest.HOSTILE[r.nextInt(InjectionTest.HOSTILE.length)]);
        }
        List<String> names = new ArrayList<>(RunFacts.VARIABLES);
        for (int i = 0; i < N; i++) {
            String text = randomText(r, "${}$$ab_job1Z-", 16);
            TemplateFormat f;
            try {
                f = TemplateFormat.parse(text);
            } catch (IllegalArgumentException refused) {
                continue;
            }
            try {
                f.render(values);
            } catch (IllegalArgumentException missing) {
                assertThat(missing.getMessage()).as(text).matches("\\$\\{[a-z][a-z0-9_]*}");
            }
        }
        // Formats built from known parts render to exactly the expected text, values inserted literally once.
        for (int i = 0; i < N; i++) {
            StringBuilder format = new StringBuilder(), expected = new StringBuilder();
            for (int part = r.nextInt(6); part >= 0; part--) {
                if (r.nextBoolean()) {
                    String name = names.get(r.nextInt(names.size()));
                    format.append("${").append(name).append('}');
                    expected.append(values.get(name));
                } else {
                    String literal = randomText(r, "ab$/{}:_ ", 5);
                    format.append(literal.replace("$", "$$"));
                    expected.append(literal);
                }
            }
            assertThat(TemplateFormat.parse(format.toString()).render(values)).as(format.toString()).isEqualTo(expected.toString());
        }
        count("template formats", 2 * N);
    }

    @Test
    public void globsAgreeWithAReferenceMatcher() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < N; i++) {
            String pattern = randomText(r, "**?/ab.[]\\+", 8);
            String name = randomText(r, "ab/.*?", 8);
            Glob g;
            try {
                g = Glob.compile(pattern);
            } catch (IllegalArgumentException refused) {
                assertThat(pattern).isEmpty();
                continue;
            }
            assertThat(g.matches(name)).as(pattern + " ~ " + name).isEqualTo(reference(pattern, 0, name, 0));
        }
        count("globs", N);
    }

    /** A pattern with many stars against a long name that almost matches: a backtracking matcher never finishes. */
    @Test(timeout = 60_000) // a hang guard, not a measurement: the match takes milliseconds
    public void globMatchingDoesNotBacktrackExponentially() {
        String[][] cases = {
            {"*a".repeat(12) + "*b", "a".repeat(3_000)},
            {"**a".repeat(12) + "**b", "a/".repeat(1_500)},
            {"release-*-*-*-*-*-*-*-*-*-hotfix", "release-" + "-".repeat(3_000)},
            {"?*".repeat(20) + "x", "y".repeat(3_000)},
        };
        for (String[] c : cases) {
            assertThat(Glob.compile(c[0]).matches(c[1])).as(c[0]).isFalse();
        }
        assertThat(Glob.compile("*a".repeat(12) + "*b").matches("a".repeat(3_000) + "b")).isTrue();
        count("globs (adversarial)", cases.length + 1);
    }

    private static boolean reference(String p, int i, String n, int j) {
        if (i == p.length()) {
            return j == n.length();
        }
        if (p.startsWith("**", i)) {
            for (int k = j; k <= n.length(); k++) {
                if (reference(p, i + 2, n, k)) {
                    return true;
                }
            }
            return false;
        }
        char c = p.charAt(i);
        if (c == '*') {
            for (int k = j; k <= n.length(); k++) {
                if (reference(p, i + 1, n, k)) {
                    return true;
                }
                if (k < n.length() && n.charAt(k) == '/') {
                    return false;
                }
            }
            return false;
        }
        if (j == n.length()) {
            return false;
        }
        if (c == '?') {
            return n.charAt(j) != '/' && reference(p, i + 1, n, j + 1);
        }
        return n.charAt(j) == c && reference(p, i + 1, n, j + 1);
    }

    @Test
    public void configDocuments() {
        Random r = new Random(SEED + 3);
        for (int i = 0; i < N; i++) {
            Object doc = randomDocument(r);
            try {
                EngineConfig c = ConfigDocument.read(doc);
                assertThat(c.issuers()).isNotEmpty();
            } catch (ConfigurationException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
        count("config documents", N);
    }

    private static final String[] KEYS = {"id", "url", "algorithm", "rotationPeriod", "description", "audiences", "scope", "subject",
        "claims", "defaultTtl", "maxTtl", "allowedJobs", "allowedBranches", "issuers", "templates", "notBeforeBackdate", "leeway", "x"};
    private static final Object[] SCALARS = {"default", "deploy", "https://ci.example.com/ri/a", "http://127.0.0.1:8470/a",
        "http://localhost/x", "https://[::1]/x", "ftp://x", "https://x/", "RS256", "ES256", "es256", "HS256", "10m", "1h", "25h", "0s",
        "PT5M", "30d", "**", "team/*", "", " ", "${job}", "${nope}", "job:${job}", "$", "a b c", "iss", "status", 42, 3.5, -1L, true,
        false, null, new Date(0), new byte[] {1, 2}, Long.MAX_VALUE, "\u0000", "😀"};

    private static Object randomDocument(Random r) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> ri = new LinkedHashMap<>();
        List<Object> issuers = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            issuers.add(randomMap(r, List.of("id", "url", "algorithm", "rotationPeriod"), 0));
        }
        if (r.nextInt(4) > 0) {
            Map<String, Object> good = new LinkedHashMap<>();
            good.put("id", "default");
            good.put("url", "https://ci.example.com/ri/default");
            issuers.add(good);
        }
        ri.put("issuers", r.nextInt(20) == 0 ? randomValue(r, 0) : issuers);
        List<Object> templates = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            templates.add(randomMap(r, List.of("id", "description", "audiences", "scope", "subject", "claims", "defaultTtl", "maxTtl",
                    "allowedJobs", "allowedBranches", "issuers"), 0));
        }
        ri.put("templates", templates);
        if (r.nextBoolean()) ri.put("leeway", randomValue(r, 2));
        if (r.nextBoolean()) ri.put("notBeforeBackdate", randomValue(r, 2));
        if (r.nextInt(10) == 0) ri.put(KEYS[r.nextInt(KEYS.length)], randomValue(r, 0));
        root.put(r.nextInt(30) == 0 ? "runidentity" : "runIdentity", r.nextInt(30) == 0 ? randomValue(r, 0) : ri);
        return r.nextInt(30) == 0 ? randomValue(r, 0) : root;
    }

    /** {@code likely} is a list, not a set: a set's iteration order changes between JVMs, and so would the inputs. */
    private static Map<String, Object> randomMap(Random r, List<String> likely, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(likely);
        for (int i = r.nextInt(keys.size() + 1); i > 0; i--) {
            String k = r.nextInt(15) == 0 ? KEYS[r.nextInt(KEYS.length)] : keys.get(r.nextInt(keys.size()));
            m.put(k, k.equals("id") && r.nextBoolean() ? "t" + r.nextInt(3) : randomValue(r, depth + 1));
        }
        return m;
    }

    private static Object randomValue(Random r, int depth) {
        int kind = depth > 3 ? 0 : r.nextInt(10);
        if (kind < 6) {
            return SCALARS[r.nextInt(SCALARS.length)];
        }
        if (kind < 8) {
            List<Object> l = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                l.add(randomValue(r, depth + 1));
            }
            return l;
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            m.put(r.nextInt(10) == 0 ? (Object) 7 : KEYS[r.nextInt(KEYS.length)], randomValue(r, depth + 1));
        }
        return m;
    }

    @Test
    public void endpointBodiesAndRequests() throws Exception {
        Random r = new Random(SEED + 4);
        Set<Integer> allowed = Set.of(200, 400, 404, 405, 413, 415);
        try (RunIdentityEngine engine = Fixtures.engine(tmp.newFolder().toPath(), MutableClock.atNow())) {
            String token = engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t").token().revealSerialized();
            String[] methods = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "post", "", null};
            String[] paths = {"/run-identity/corp/introspect", "/run-identity/corp/revoke", "/run-identity/corp/jwks",
                "/run-identity/corp/.well-known/openid-configuration", "/run-identity/edge/introspect", "/run-identity/corp/introspect/",
                "/run-identity/corp//introspect", "/run-identity/corp/%2e%2e/jwks", "/", "", null, "/run-identity/corpx/jwks"};
            String[] types = {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
                "APPLICATION/X-WWW-FORM-URLENCODED", "application/json", "text/plain", "", ";", null, "multipart/form-data; boundary=x"};
            String formAlphabet = "token=&%2B%3D%zz+ab.-_" + token.substring(0, 12);
            int n = 0;
            for (int i = 0; i < N; i++) {
                byte[] body;
                switch (r.nextInt(5)) {
                    case 0 -> body = randomText(r, formAlphabet, 60).getBytes(StandardCharsets.UTF_8);
                    case 1 -> body = ("token=" + mutate(r, token)).getBytes(StandardCharsets.UTF_8);
                    case 2 -> {
                        body = new byte[r.nextInt(200)];
                        r.nextBytes(body);
                    }
                    case 3 -> body = ("token=" + token + "&" + randomText(r, formAlphabet, 20)).getBytes(StandardCharsets.UTF_8);
                    default -> body = r.nextInt(50) == 0 ? new byte[IssuerEndpoints.MAX_BODY_BYTES + 1] : null;
                }
                String method = r.nextInt(4) == 0 ? methods[r.nextInt(methods.length)] : "POST";
                String path = paths[r.nextInt(paths.length)];
                String query = r.nextInt(10) == 0 ? randomText(r, formAlphabet, 10) : null;
                String type = r.nextInt(4) == 0 ? types[r.nextInt(types.length)] : types[0];
                EndpointResponse resp = engine.endpoints().handle(new EndpointRequest(method, path, query, type, body));
                String what = method + " " + path + " " + type;
                assertThat(allowed).as(what).contains(resp.status());
                String text = resp.bodyText();
                assertThat(text).as(what).doesNotContain("Exception").doesNotContain("\tat ");
                if (resp.body().length > 0) {
                    Map<String, Object> json = JSONObjectUtils.parse(text);
                    assertThat(json.containsKey("active") || json.containsKey("error") || json.containsKey("keys")
                            || json.containsKey("issuer")).as(what).isTrue();
                }
                n++;
            }
            count("endpoint requests", n);
        }
    }

    private static String mutate(Random r, String token) {
        StringBuilder s = new StringBuilder(token);
        for (int k = r.nextInt(4); k >= 0; k--) {
            int at = r.nextInt(s.length());
            switch (r.nextInt(3)) {
                case 0 -> s.setCharAt(at, (char) (r.nextBoolean() ? r.nextInt(128) : r.nextInt(0x10000)));
                case 1 -> s.deleteCharAt(at);
                default -> s.insert(at, ".%=&+".charAt(r.nextInt(5)));
            }
        }
        return s.toString();
    }
}
