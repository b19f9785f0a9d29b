package io.jenkins.plugins.runidentity.cli;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.TokenRejectedException;
import io.jenkins.plugins.runidentity.core.VerifiedToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Works with tokens.",
        subcommands = {TokenCommand.Inspect.class})
final class TokenCommand {
    @ParentCommand RunIdentityCommand parent;

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Verifies a token against this state's issuers and explains it: header, claims, and why it is or",
                "is not valid now. Pass - (the default) to read it from standard input, which keeps it out of the process list.",
                "Exit 0 when valid, 1 when not."})
    static final class Inspect implements Callable<Integer> {
        @ParentCommand TokenCommand token;
        @Spec CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "TOKEN|-", defaultValue = "-", description = "The token, or - for standard input.")
        String input;

        @Override
        public Integer call() throws IOException {
            String t = "-".equals(input) ? new String(System.in.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim() : input.trim();
            if (t.isEmpty()) {
                throw new UsageError("no token given (pass it as an argument, or on standard input with -)");
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                JWSObject parsed = JWSObject.parse(t);
                out.println("header: " + JSONObjectUtils.toJSONString(new TreeMap<>(parsed.getHeader().toJSONObject())));
                Map<String, Object> claims = parsed.getPayload().toJSONObject();
                out.println("claims: " + JSONObjectUtils.toJSONString(new TreeMap<>(claims == null ? Map.of() : claims)));
            } catch (java.text.ParseException | RuntimeException e) {
                out.println("not a readable JWS: it cannot be decoded");
            }
            try (RunIdentityEngine engine = token.parent.state().open(Clock.systemUTC())) {
                VerifiedToken v = engine.verify(t);
                out.printf("valid: signed by %s with key %s (%s); expires %s, in %s%n", v.issuer(), v.keyId(), v.algorithm(),
                        v.expiresAt(), io.jenkins.plugins.runidentity.core.DurationFormat.format(
                                Duration.ofSeconds(Math.max(0, Duration.between(Instant.now(), v.expiresAt()).getSeconds()))));
                out.flush();
                return 0;
            } catch (TokenRejectedException e) {
                out.println("invalid: " + e.getMessage());
                out.flush();
                return 1;
            }
        }
    }
}
