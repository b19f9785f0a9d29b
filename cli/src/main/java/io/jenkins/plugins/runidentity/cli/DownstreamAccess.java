package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.DownstreamExchange;
import io.jenkins.plugins.runidentity.core.DownstreamHttp;
import io.jenkins.plugins.runidentity.core.DownstreamRevocation;
import io.jenkins.plugins.runidentity.core.DownstreamToken;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.Session;
import io.jenkins.plugins.runidentity.core.file.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * exec's downstream credential: obtained by an exchange profile before the command starts, handed to it as
 * {@code RUN_IDENTITY_EXCHANGED_TOKEN} and a 0600 file, and revoked downstream when the command ends.
 */
final class DownstreamAccess {
    static final String FILE_NAME = "exchanged-token";
    private final DownstreamExchange exchange;
    private final DownstreamToken token;
    private final Session run;
    private final String owner;
    private volatile Path file;

    private DownstreamAccess(DownstreamExchange exchange, DownstreamToken token, Session run, String owner) {
        this.exchange = exchange;
        this.token = token;
        this.run = run;
        this.owner = owner;
    }

    /**
     * Exchanges the run's identity with {@code profile}.
     *
     * @throws io.jenkins.plugins.runidentity.core.ExchangeFailedException already audited; nothing is written
     */
    static DownstreamAccess obtain(RunIdentityEngine engine, StateHome home, String profile, Session run, String owner) {
        DownstreamExchange exchange = new DownstreamExchange(engine, DownstreamHttp.jdk(), new StateSecrets(home.secretsFolder()),
                Clock.systemUTC());
        DownstreamToken token = exchange.exchange(profile, run, owner);
        return new DownstreamAccess(exchange, token, run, owner);
    }

    /** Writes the token file into the session's private folder and adds the variables to {@code env}. */
    void export(Path tokenDir, Map<String, String> env) throws IOException {
        Path f = tokenDir.resolve(FILE_NAME);
        file = f;
        PrivateFiles.writeAtomically(f, token.revealAccessToken().getBytes(StandardCharsets.UTF_8));
        env.put("RUN_IDENTITY_EXCHANGED_TOKEN", token.revealAccessToken());
        env.put("RUN_IDENTITY_EXCHANGED_TOKEN_FILE", f.toString());
        env.put("RUN_IDENTITY_EXCHANGED_TOKEN_TYPE", token.tokenType());
        token.expiresAt().ifPresent(e -> env.put("RUN_IDENTITY_EXCHANGED_EXPIRES_AT", e.toString()));
    }

    /** Removes the token file and revokes the token downstream (when the profile says where). */
    DownstreamRevocation end() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the folder's removal reports it
            }
        }
        return exchange.revoke(token, run, owner);
    }
}
