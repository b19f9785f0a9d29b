package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.RequestDeniedException;
import io.jenkins.plugins.runidentity.core.RunIdentityException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run-identity}: run-scoped identities for any process, with the engine the Jenkins plugin uses. */
@Command(name = "run-identity", mixinStandardHelpOptions = true, versionProvider = RunIdentityCommand.Version.class,
        description = "Gives a process its own short-lived, revocable, audited identity (a signed JWT).",
        subcommands = {InitCommand.class, ExecCommand.class, ServeCommand.class, AuditCommand.class, KeysCommand.class,
            TokenCommand.class},
        footer = {"", "State lives in $RUN_IDENTITY_HOME (default ./.run-identity). Exit codes: 0 ok, 1 failure,"
            + " 2 bad usage or refused request; exec passes the command's own exit code through."})
public final class RunIdentityCommand {
    /** Exit code for bad usage, bad configuration and refused requests. */
    static final int USAGE = 2;

    @Option(names = "--home", paramLabel = "DIR", description = "State folder (overrides $RUN_IDENTITY_HOME).",
            scope = CommandLine.ScopeType.INHERIT)
    Path home;

    StateHome state() {
        return StateHome.locate(home);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        ExecCommand exec = ExecCommand.direct(args, err);
        if (exec != null) {
            try {
                return exec.call();
            } catch (Exception e) {
                return exitCode(e, "run-identity exec", err);
            }
        }
        return runWithPicocli(args, out, err);
    }

    private static int runWithPicocli(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new RunIdentityCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parsed) ->
                exitCode(ex, commandLine.getCommandSpec().qualifiedName(), err));
        return cli.execute(args);
    }

    /** One line on stderr for a command that failed, and its exit code. */
    private static int exitCode(Exception ex, String name, PrintWriter err) {
        if (ex instanceof UsageError || ex instanceof RequestDeniedException || ex instanceof ConfigurationException) {
            err.println(name + ": " + ex.getMessage());
            return USAGE;
        }
        if (ex instanceof RunIdentityException) {
            err.println(name + ": " + ex.getMessage());
            return 1;
        }
        err.println(name + ": unexpected " + ex.getClass().getSimpleName() + ": " + (ex.getMessage() == null ? "" : ex.getMessage()
                .lines().findFirst().orElse("")));
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RunIdentityCommand.class.getPackage().getImplementationVersion();
            return new String[] {"run-identity " + (v == null ? "(development build)" : v)};
        }
    }
}
