package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.ConfigurationException;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.Test;

/**
 * The config file as the command reads it (YAML, then the config document): thousands of seeded mutations of the
 * sample file and of random YAML. Each either reads or is refused with a ConfigurationException naming the file.
 */
public class ConfigFuzzTest {
    static final long SEED = 20261203L;
    private static int tried;

    @AfterClass
    public static void report() {
        System.out.println("config file fuzz (seed " + SEED + "): " + tried + " YAML inputs, each read or refused with a one-line reason");
    }

    @Test
    public void mutatedConfigFilesAreReadOrRefusedCleanly() {
        Random r = new Random(SEED);
        String sample = InitCommand.sampleConfig("https://ci.example.com/run-identity/default");
        String[] inserts = {":", "- ", "[", "]", "{", "}", "\"", "'", "\n", "  ", "\t", "&a ", "*a", "!!binary ", "!!timestamp ",
            "!!javax.script.ScriptEngineManager ", "? ", "|", ">", "#", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "1e400",
            "0x1F", "2026-12-03", "${job}", "😀", "\u0000", "<<: *a\n", "&a [*a]", "\ud800"};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder(sample);
            for (int k = r.nextInt(4); k >= 0; k--) {
                int at = r.nextInt(text.length() + 1);
                switch (r.nextInt(4)) {
                    case 0 -> text.insert(at, inserts[r.nextInt(inserts.length)]);
                    case 1 -> text.delete(at, Math.min(text.length(), at + 1 + r.nextInt(20)));
                    case 2 -> {
                        int from = r.nextInt(text.length() + 1);
                        int to = Math.min(text.length(), from + r.nextInt(60));
                        text.insert(at, text.substring(from, to));
                    }
                    default -> text.insert(at, (char) r.nextInt(0x3000));
                }
            }
            check(text.toString());
        }
        for (int i = 0; i < 1_500; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = r.nextInt(30); k >= 0; k--) {
                text.append(inserts[r.nextInt(inserts.length)]);
                if (r.nextBoolean()) {
                    text.append(new String[] {"runIdentity", "issuers", "templates", "id", "url", "a", "1"}[r.nextInt(7)]);
                }
            }
            check(text.toString());
        }
        // A billion laughs: aliases are bounded.
        check("a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e]\n");
        check("a: " + "[".repeat(5_000) + "]".repeat(5_000));
    }

    /** Found by the fuzz: SnakeYAML let an IllegalArgumentException through for a !!binary value that is not base64. */
    @Test
    public void aBinaryValueThatIsNotBase64IsAConfigurationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateHome.parse("config.yaml", "runIdentity:\n  leeway: !!binary a\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("config.yaml: not valid YAML");
    }

    private static void check(String text) {
        tried++;
        try {
            assertThat(StateHome.parse("config.yaml", text).issuers()).isNotEmpty();
        } catch (ConfigurationException refused) {
            assertThat(refused.getMessage()).startsWith("config.yaml").doesNotContain("\tat ");
        }
    }
}
