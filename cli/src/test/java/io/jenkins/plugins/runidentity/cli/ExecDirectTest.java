package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * The exec command line read without picocli: it takes exactly what picocli would read the same way, and hands
 * everything else (help, mistakes, unusual spellings) back to picocli, so that messages stay picocli's.
 */
public class ExecDirectTest {
    private static ExecCommand read(String... args) {
        return ExecCommand.direct(args, new PrintWriter(new StringWriter()));
    }

    @Test
    public void readsThePlainForms() {
        ExecCommand c = read("--home", "/tmp/h", "exec", "--job", "nightly/backup", "--ttl=15m", "--refresh", "--scope", "read",
                "--audience", "vault", "--issuer", "corp", "--template", "deploy", "--exchange", "kc", "--time-limit", "30m", "--",
                "./backup.sh", "--full", "--");
        assertThat(c).isNotNull();
        assertThat(c.parent.home).isEqualTo(Path.of("/tmp/h"));
        assertThat(c.job).isEqualTo("nightly/backup");
        assertThat(c.ttl).isEqualTo("15m");
        assertThat(c.refresh).isTrue();
        assertThat(c.scope).isEqualTo("read");
        assertThat(c.audience).isEqualTo("vault");
        assertThat(c.issuer).isEqualTo("corp");
        assertThat(c.template).isEqualTo("deploy");
        assertThat(c.exchange).isEqualTo("kc");
        assertThat(c.timeLimit).isEqualTo("30m");
        assertThat(c.command).containsExactly("./backup.sh", "--full", "--");

        ExecCommand plain = read("exec", "--", "true");
        assertThat(plain.parent.home).isNull();
        assertThat(plain.template).as("picocli's default").isEqualTo("default");
        assertThat(plain.refresh).isFalse();
        assertThat(plain.job).isNull();
        assertThat(plain.timeLimit).isNull();
        assertThat(plain.command).containsExactly("true");
        assertThat(read("exec", "--home=/x", "--", "true").parent.home).as("--home is inherited").isEqualTo(Path.of("/x"));
    }

    @Test
    public void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(List.of("exec", "true"), List.of("exec", "--"), List.of("exec"), List.of("--", "true"),
                List.of("exec", "--help", "--", "true"), List.of("exec", "-h", "--", "true"), List.of("exec", "-V", "--", "true"),
                List.of("exec", "--job", "a", "--job", "b", "--", "true"), List.of("exec", "--refresh", "--refresh", "--", "true"),
                List.of("exec", "--job", "--", "true"), List.of("exec", "--job", "--ttl", "1m", "--", "true"),
                List.of("exec", "--job=", "--", "true"), List.of("exec", "--jobs", "a", "--", "true"), List.of("exec", "--ttl"),
                List.of("exec", "--refresh=true", "--", "true"), List.of("--job", "a", "exec", "--", "true"),
                List.of("serve", "--", "true"), List.of("exec", "exec", "--", "true"), List.of("--home", "/h", "--home", "/i", "exec", "--", "true"),
                List.of("audit", "verify"), List.<String>of())) {
            assertThat(read(args.toArray(String[]::new))).as("%s", args).isNull();
        }
    }

    /**
     * The direct reader duplicates picocli's declaration of exec's options, so it must not drift from it: every
     * option picocli knows is one the direct reader takes the same way (valued or a flag) or leaves to picocli, and
     * both readers give the same command for the same plain command line.
     */
    @Test
    public void agreesWithPicocliOnEveryOption() {
        picocli.CommandLine root = new picocli.CommandLine(new RunIdentityCommand());
        java.util.Set<String> valued = new java.util.TreeSet<>(), flags = new java.util.TreeSet<>();
        for (picocli.CommandLine.Model.OptionSpec o : root.getSubcommands().get("exec").getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            (o.arity().max() == 0 ? flags : valued).add(o.longestName());
        }
        valued.add(root.getCommandSpec().findOption("--home").longestName());
        assertThat(ExecCommand.VALUED).containsExactlyInAnyOrderElementsOf(valued);
        assertThat(flags).containsExactly("--refresh");

        String[][] lines = {
            {"exec", "--", "true"},
            {"--home", "/s", "exec", "--job", "a/b", "--ttl", "5m", "--refresh", "--time-limit", "1m", "--", "sh", "-c", "x"},
            {"exec", "--issuer=corp", "--template", "t", "--audience", "vault", "--scope", "read", "--exchange", "kc", "--", "c"},
        };
        for (String[] line : lines) {
            ExecCommand direct = read(line);
            picocli.CommandLine cl = new picocli.CommandLine(new RunIdentityCommand());
            picocli.CommandLine.ParseResult parsed = cl.parseArgs(line);
            ExecCommand viaPicocli = (ExecCommand) parsed.subcommand().commandSpec().userObject();
            RunIdentityCommand parent = (RunIdentityCommand) parsed.commandSpec().userObject();
            assertThat(direct).as("%s", List.of(line)).isNotNull();
            assertThat(direct.parent.home).isEqualTo(parent.home);
            assertThat(List.of(direct.issuer == null ? "" : direct.issuer, direct.template, direct.job == null ? "" : direct.job,
                    String.valueOf(direct.audience), String.valueOf(direct.scope), String.valueOf(direct.ttl),
                    String.valueOf(direct.exchange), String.valueOf(direct.timeLimit), String.valueOf(direct.refresh)))
                    .as("%s", List.of(line))
                    .isEqualTo(List.of(viaPicocli.issuer == null ? "" : viaPicocli.issuer, viaPicocli.template,
                            viaPicocli.job == null ? "" : viaPicocli.job, String.valueOf(viaPicocli.audience),
                            String.valueOf(viaPicocli.scope), String.valueOf(viaPicocli.ttl), String.valueOf(viaPicocli.exchange),
                            String.valueOf(viaPicocli.timeLimit), String.valueOf(viaPicocli.refresh)));
            assertThat(direct.command).isEqualTo(viaPicocli.command);
        }
    }
}
