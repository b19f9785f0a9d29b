package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.MintRequest;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Each relying-party guide shows a template and the claims its tokens carry. This mints a real token from every
 * guide's template and requires the token's claims to be exactly the documented ones: same names, same values
 * (values written as {@code "<…>"} vary per token and are only required to be present).
 */
public class RelyingPartyGuidesTest {
    private static final Path GUIDE = Path.of("../docs/relying-parties.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- guide-example: (\\w+) ([^>]*?) -->\\s*```yaml\\n(.*?)```\\s*```json\\n(.*?)```", Pattern.DOTALL);

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyGuideShowsWhatItsTemplateReallyMints() throws Exception {
        String text = Files.readString(GUIDE);
        Matcher m = EXAMPLE.matcher(text);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Map<String, String> facts = new HashMap<>();
            for (String kv : m.group(2).trim().split("\\s+")) {
                String[] p = kv.split("=", 2);
                facts.put(p[0], p[1]);
            }
            EngineConfig config = StateHome.parse(m.group(1) + " guide", m.group(3));
            Map<String, Object> documented = JSONObjectUtils.parse(m.group(4));
            Map<String, Object> minted;
            try (RunIdentityEngine engine = RunIdentityEngine.start(config,
                    FileStateStore.open(tmp.newFolder().toPath(), Clock.systemUTC()), Clock.systemUTC())) {
                RunFacts run = RunFacts.builder(facts.get("job"), Long.parseLong(facts.get("build"))).branch(facts.get("branch")).build();
                Session s = engine.openSession(MintRequest.of(facts.get("issuer"), facts.get("template")), run, "guide-test");
                minted = JWSObject.parse(s.token().revealSerialized()).getPayload().toJSONObject();
            }
            assertThat(minted.keySet()).as(m.group(1) + ": claim names").containsExactlyInAnyOrderElementsOf(documented.keySet());
            for (Map.Entry<String, Object> e : documented.entrySet()) {
                if (e.getValue() instanceof String v && v.startsWith("<") && v.endsWith(">")) {
                    continue;
                }
                assertThat(minted.get(e.getKey())).as(m.group(1) + ": " + e.getKey()).isEqualTo(e.getValue());
            }
            checked.add(m.group(1));
        }
        assertThat(checked).contains("vault", "aws", "gcp", "azure", "keycloak");
    }
}
