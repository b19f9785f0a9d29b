package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.file.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Creates the state folder: a config.yaml with an issuer 'default' and a template 'default' that any job",
            "may use, and the issuer's first signing key."})
final class InitCommand implements Callable<Integer> {
    static final String DEFAULT_URL = "http://127.0.0.1:8470/default";

    @ParentCommand RunIdentityCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--issuer-url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "The issuer's URL, its exact 'iss' (https, or http on loopback). Default: ${DEFAULT-VALUE}")
    String issuerUrl;

    @Override
    public Integer call() throws IOException {
        IssuerConfig.checkUrl(issuerUrl);
        StateHome home = parent.state();
        if (Files.exists(home.configFile())) {
            throw alreadyInitialized(home);
        }
        PrivateFiles.directory(home.dir());
        home.secure();
        // The default state folder sits in the working tree: keep 'git add -A' away from the keys.
        PrivateFiles.createNew(home.dir().resolve(".gitignore"), "*\n".getBytes(StandardCharsets.UTF_8));
        // Exclusive: of several inits at once, exactly one writes the configuration; the others are refused.
        if (!PrivateFiles.createNew(home.configFile(), sampleConfig(issuerUrl).getBytes(StandardCharsets.UTF_8))) {
            throw alreadyInitialized(home);
        }
        try (RunIdentityEngine engine = home.open(Clock.systemUTC())) {
            String kid = engine.keys("default").stream().filter(k -> k.state() == io.jenkins.plugins.runidentity.core.StoredKey.State.ACTIVE)
                    .findFirst().orElseThrow().kid();
            spec.commandLine().getOut().printf("initialized %s%n  issuer   default  %s  (key %s)%n  template default  any job,"
                    + " audience run-identity, 10m tokens (1h at most)%n  config   %s%n", home.dir(), issuerUrl, kid, home.configFile());
        }
        return 0;
    }

    private static UsageError alreadyInitialized(StateHome home) {
        return new UsageError(home.dir() + " is already initialized (" + home.configFile() + " exists): edit it, or remove "
                + home.dir() + " to start over");
    }

    static String sampleConfig(String url) {
        return """
                # Run Identity configuration. The same shape as the Jenkins plugin's Configuration-as-Code
                # section (security: runIdentity:). Commands read it each time they start; restart
                # 'run-identity serve' to serve a change. Unknown settings are refused, never ignored.
                runIdentity:
                  issuers:
                    # id: lower-case letters, digits and '-'.
                    # url: the exact 'iss' of every token. Relying parties fetch <url>/.well-known/openid-configuration
                    #      and <url>/jwks. https, or plain http on a loopback address only. No trailing slash.
                    # algorithm: RS256 (widest support) or ES256.
                    # rotationPeriod: how long a key signs before the next one takes over. The next key is in the
                    #      JWKS long before it signs; 'run-identity keys rotate' rotates at once.
                    - id: default
                      url: %s
                      algorithm: RS256
                      rotationPeriod: 30d
                  templates:
                    # What a run may be granted. A request (exec --audience/--scope/--ttl) may only narrow it.
                    # subject and claims take ${...} variables from trusted run facts only: job, build_number, run_id,
                    #   build_url, branch, change, node, cause, controller, issuer, template. Use $$ for a literal $.
                    # Reserved claims (iss sub aud exp nbf iat jti scope sid status job ...) cannot be set here.
                    # allowedJobs / allowedBranches: globs; * matches within a '/' segment, ** across segments.
                    # issuers: the issuer ids this template may be used with (empty: all).
                    # boundByRun: true caps each token's exp at the run's deadline when one is known
                    #   (exec --time-limit; in Jenkins, an enclosing timeout step).
                    - id: default
                      description: Any job; audience run-identity; 10 minute tokens
                      audiences: [run-identity]
                      scope: run
                      subject: "job:${job}"
                      claims: {}
                      defaultTtl: 10m
                      maxTtl: 1h
                      allowedJobs: ["**"]
                      allowedBranches: []
                      issuers: [default]
                      boundByRun: true
                  # nbf is set this far before iat, for relying parties whose clocks run behind.
                  notBeforeBackdate: 30s
                  # Clock skew tolerated when checking nbf and iat.
                  leeway: 60s
                """.formatted(url);
    }
}
