package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.ClientSecrets;
import io.jenkins.plugins.runidentity.core.ExchangeFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The state folder's secret store: one file per secret, {@code secrets/<name>}, readable by its owner only
 * (0600). A secret in a file others can read is refused rather than used.
 */
final class StateSecrets implements ClientSecrets {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);
    private final Path dir;

    StateSecrets(Path dir) {
        this.dir = dir;
    }

    @Override
    public String reveal(String name) {
        ClientSecrets.checkName(name);
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ExchangeFailedException("client secret '" + name + "' is not in the secret store: create " + file
                    + " (mode 0600) holding the secret", true);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new ExchangeFailedException("client secret file " + file + " may be read by others; run: chmod 600 " + file, true);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new ExchangeFailedException("client secret file " + file + " is empty", true);
            }
            return secret;
        } catch (IOException e) {
            throw new ExchangeFailedException("cannot read client secret file " + file + ": " + e.getClass().getSimpleName(), false);
        }
    }
}
