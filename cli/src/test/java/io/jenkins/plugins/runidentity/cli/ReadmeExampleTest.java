package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's configuration example, as written, through the real command. Its template used {@code ${branch}} and
 * {@code allowedBranches}, which {@code exec} has no fact for: every request was denied.
 */
public class ReadmeExampleTest {
    private static final Path README = Path.of("../README.md");
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private static String example() throws Exception {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        int section = text.indexOf("### Configuration");
        int start = text.indexOf("```yaml\n", section) + "```yaml\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    @Test
    public void theExampleTemplateGivesAnExecRunItsToken() throws Exception {
        Path home = tmp.newFolder().toPath().resolve("state");
        StringWriter err = new StringWriter();
        PrintWriter out = new PrintWriter(new StringWriter());
        assertThat(RunIdentityCommand.run(new String[] {"--home", home.toString(), "init"}, out, new PrintWriter(err, true)))
                .as(err.toString()).isZero();
        Files.writeString(home.resolve("config.yaml"), example());
        Path saved = tmp.newFolder().toPath().resolve("sub");
        int exit = RunIdentityCommand.run(new String[] {"--home", home.toString(), "exec", "--template", "deploy", "--job",
            "payments/api", "--", "sh", "-c", "cut -d. -f2 \"$RUN_IDENTITY_TOKEN_FILE\" > '" + saved + "'"}, out, new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        String payload = new String(java.util.Base64.getUrlDecoder().decode(Files.readString(saved).trim()), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"sub\":\"job:payments/api\"").contains("\"team\":\"payments\"").contains("\"aud\":\"vault\"");
    }
}
