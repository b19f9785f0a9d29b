package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.KeyRotation;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Lists and rotates the issuers' signing keys (never showing key material).",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
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
                out.printf("%-10s %-44s %-6s %-8s %-28s %-28s %s%n", "ISSUER", "KID", "ALG", "STATE", "PUBLISHED", "ACTIVATED",
                        "RETIRED");
                for (IssuerConfig i : engine.config().issuers()) {
                    for (RunIdentityEngine.KeyInfo k : engine.keys(i.id())) {
                        out.printf("%-10s %-44s %-6s %-8s %-28s %-28s %s%n", i.id(), k.kid(), k.algorithm(),
                                k.state().name().toLowerCase(), k.created(), orDash(k.activated()), orDash(k.retired()));
                    }
                }
                out.flush();
            }
            return 0;
        }
    }

    private static String orDash(Object v) {
        return v == null ? "-" : v.toString();
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Rotates signing keys now, instead of waiting for the rotation period: the published next key",
                "starts signing, the active one is retired (it stays in the JWKS until every token it signed has expired)",
                "and a new next key is published. A next key is never activated before it has been in the JWKS for one",
                "cache period (5m), so relying parties always know it; if it is younger, nothing changes and the command",
                "says when to try again (exit 1)."})
    static final class Rotate implements Callable<Integer> {
        @ParentCommand KeysCommand keys;
        @Spec CommandSpec spec;

        @Option(names = "--issuer", paramLabel = "ID", description = "Only this issuer (default: every issuer).")
        String issuer;

        @Override
        public Integer call() {
            try (RunIdentityEngine engine = keys.parent.state().open(Clock.systemUTC())) {
                List<String> ids = engine.config().issuerIds();
                if (issuer != null && !ids.contains(issuer)) {
                    throw new UsageError("unknown issuer '" + issuer + "'; configured issuers: " + String.join(", ", ids));
                }
                PrintWriter out = spec.commandLine().getOut();
                int exit = 0;
                for (String id : issuer == null ? ids : List.of(issuer)) {
                    KeyRotation r = engine.rotateKeys(id);
                    if (r.rotated()) {
                        out.printf("%s: rotated: key %s signs now; %s retired (published until its tokens expire); next key %s published%n",
                                id, r.activeKid(), r.retiredKid(), r.nextKid());
                    } else {
                        out.printf("%s: not rotated: the next key %s is not yet in relying parties' JWKS caches; try again after %s%n",
                                id, r.nextKid(), r.earliest());
                        exit = 1;
                    }
                }
                out.flush();
                return exit;
            }
        }
    }
}
