package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Lists the issuers' signing keys (never the key material).",
        subcommands = {KeysCommand.ListKeys.class})
final class KeysCommand {
    @ParentCommand RunIdentityCommand parent;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every issuer's keys: kid, algorithm, state and dates.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand KeysCommand keys;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (RunIdentityEngine engine = keys.parent.state().open(Clock.systemUTC())) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-10s %-44s %-6s %-8s %s%n", "ISSUER", "KID", "ALG", "STATE", "CREATED");
                for (IssuerConfig i : engine.config().issuers()) {
                    for (RunIdentityEngine.KeyInfo k : engine.keys(i.id())) {
                        out.printf("%-10s %-44s %-6s %-8s %s%n", i.id(), k.kid(), k.algorithm(), k.state().name().toLowerCase(),
                                k.created());
                    }
                }
                out.flush();
            }
            return 0;
        }
    }
}
