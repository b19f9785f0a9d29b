package io.jenkins.plugins.runidentity.core.file;

import io.jenkins.plugins.runidentity.core.AuditStore;
import io.jenkins.plugins.runidentity.core.KeyStore;
import io.jenkins.plugins.runidentity.core.StateException;
import io.jenkins.plugins.runidentity.core.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The embedded default state: a folder (0700) holding {@code keys/} and {@code audit.log}. Any number of processes
 * on one machine may share it.
 */
public final class FileStateStore implements StateStore {
    private final Path dir;
    private final FileKeyStore keys;
    private final FileAuditStore audit;

    private FileStateStore(Path dir, FileKeyStore keys, FileAuditStore audit) {
        this.dir = dir;
        this.keys = keys;
        this.audit = audit;
    }

    public static FileStateStore open(Path dir, Clock clock) {
        try {
            PrivateFiles.directory(dir);
            // Whoever owns the folder, or can write into it, could put their own key or log there: refuse a folder of
            // another user, and make ours private before trusting anything in it.
            FileTrust.secureFolder(dir, "state folder");
            FileTrust.secureFolder(dir.resolve("keys"), "key folder");
            FileTrust.checkOwnFile(dir.resolve("audit.log"), "audit log");
            return new FileStateStore(dir, new FileKeyStore(dir.resolve("keys")),
                    new FileAuditStore(dir.resolve("audit.log"), dir.resolve("audit.lock"), clock));
        } catch (IOException e) {
            throw new StateException("cannot open the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public void close() {
        audit.close();
    }
}
