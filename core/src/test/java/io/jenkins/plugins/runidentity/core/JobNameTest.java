package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.Test;

/**
 * A job's full name is what {@code allowedJobs} globs are matched against and what {@code sub} is made of: a name
 * that reads as another job ({@code payments/../prod}), or displays as another (bidi controls), must never reach a
 * policy decision or a token.
 */
public class JobNameTest extends EngineFixture {
    /** name, and a fragment of the reason it is refused. */
    private static final String[][] REFUSED = {
        {"payments/../prod", "'..' segment"},
        {"payments/./prod", "'.' segment"},
        {"..", "'..' segment"},
        {"payments/..", "'..' segment"},
        {"payments//x", "empty segment"},
        {"payments/ /x", "empty segment"},
        {"payments/", "starts or ends with '/'"},
        {"/payments/x", "starts or ends with '/'"},
        {"payments/x\nprod", "control character"},
        {"payments/x\rprod", "control character"},
        {"payments/x\u0000", "control character"},
        {"payments/x\u001b[31m", "control character"},
        {"payments/x\u009b31m", "control character"},
        {"payments/x\u007f", "control character"},
        {"payments/x\u2028", "line break"},
        {"payments/\u202edorp", "bidi control"},
        {"payments/x\u202a", "bidi control"},
        {"payments/x\u2066y\u2069", "bidi control"},
        {"payments/x\u200f", "bidi control"},
        {"payments/x#2", "'#'"},
        {"deploy:branch:main", "':'"},
        {"payments\\prod", "'\\'"},
    };

    @Test
    public void namesThatReadOrDisplayAsAnotherJobAreRefusedInOneLine() {
        for (String[] c : REFUSED) {
            String problem = RunFacts.jobNameProblem(c[0]);
            assertThat(problem).as(UserText.quote(c[0])).contains(c[1]).doesNotContain("\n", "\r", "\u2028")
                    .startsWith("the job name '");
            assertThat(problem.chars()).as("no raw control or bidi character in " + problem)
                    .noneMatch(ch -> Character.getType(ch) == Character.CONTROL || UserText.isBidiControl((char) (int) ch));
            assertThatThrownBy(() -> RunFacts.builder(c[0], 1).build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(problem);
        }
    }

    @Test
    public void jenkinsLikeNamesAreAccepted() {
        for (String ok : new String[] {"payments", "payments/api", "team/repo/feature%2Fx", "a b/c-d_e.f/..x/x..",
            "ünïcödé/日本語/😀", "payments/.hidden", "x".repeat(700)}) {
            assertThat(RunFacts.jobNameProblem(ok)).as(ok).isNull();
            assertThat(RunFacts.builder(ok, 1).build().job()).isEqualTo(ok);
        }
    }

    @Test
    public void aRefusedNameNeitherPassesAPatternNorStartsARunAndTheRefusalIsAudited() throws Exception {
        Glob payments = Glob.compile("payments/**");
        for (String[] c : REFUSED) {
            if (!payments.matches(c[0])) {
                continue; // only the ones the glob alone would have let through matter here
            }
            assertThatThrownBy(() -> engine.startRun(c[0], "owner", b -> b))
                    .isInstanceOf(RequestDeniedException.class).hasMessageContaining(c[1]);
        }
        assertThat(engine.auditRecords(r -> AuditEvent.RUN_STARTED.equals(r.type()))).isEmpty();
        assertThat(engine.auditRecords(r -> AuditEvent.MINTED.equals(r.type()))).isEmpty();
        List<AuditRecord> denied = engine.auditRecords(r -> AuditEvent.DENIED.equals(r.type()));
        assertThat(denied).isNotEmpty().allSatisfy(r -> assertThat(r.string("reason")).startsWith("the job name"));
        assertThat(denied).extracting(r -> r.string("job")).contains("payments/../prod", "payments/\u202edorp");
        // The refusal holds the name exactly, yet no line of the log displays it raw.
        for (String line : Files.readAllLines(dir.resolve("audit.log"), StandardCharsets.UTF_8)) {
            assertThat(line.chars()).as(line).noneMatch(ch -> UserText.isBidiControl((char) (int) ch) || Character.getType(ch) == Character.CONTROL);
        }
        assertThat(engine.verifyAudit().intact()).isTrue();
        // A good name still runs.
        assertThat(engine.startRun("payments/prod", "owner", b -> b).buildNumber()).isEqualTo(1);
    }
}
