package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code run-identity keys rotate}, in process. */
public class KeysRotateTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();
    private Path home;

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = home.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = RunIdentityCommand.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Before
    public void init() throws Exception {
        home = tmp.newFolder("state").toPath();
        assertThat(run("init").exit()).isZero();
    }

    /** Pretends the published next key was published {@code ago}: what waiting would do, without waiting. */
    @SuppressWarnings("unchecked")
    private void ageNextKey(Duration ago) throws Exception {
        Path file = home.resolve("keys/default.json");
        Map<String, Object> doc = JSONObjectUtils.parse(Files.readString(file));
        for (Object k : (List<Object>) doc.get("keys")) {
            Map<String, Object> key = (Map<String, Object>) k;
            if ("NEXT".equals(key.get("state"))) {
                key.put("created", Instant.now().minus(ago).toString());
            }
        }
        Files.writeString(file, JSONObjectUtils.toJSONString(doc), StandardCharsets.UTF_8);
    }

    @Test
    public void rotateWaitsUntilTheNextKeyIsInEveryCacheThenRotates() throws Exception {
        Run early = run("keys", "rotate");
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.out()).startsWith("default: not rotated: the next key ").contains("try again after");

        ageNextKey(Duration.ofMinutes(6));
        Run rotated = run("keys", "rotate", "--issuer", "default");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).startsWith("default: rotated: key ").contains("retired");

        Run list = run("keys", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out().lines().skip(1).map(l -> l.split("\\s+")[3]).toList()).containsExactly("retired", "active", "next");
        Run audit = run("audit", "verify");
        assertThat(audit.exit()).as(audit.out() + audit.err()).isZero();
        String log = Files.readString(home.resolve("audit.log"));
        assertThat(log).contains("\"event\":\"key-retired\"").contains("\"reason\":\"forced rotation\"");
    }

    @Test
    public void anUnknownIssuerIsAOneLineUsageError() {
        Run r = run("keys", "rotate", "--issuer", "nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("run-identity keys rotate: unknown issuer 'nope'; configured issuers: default");
    }
}
