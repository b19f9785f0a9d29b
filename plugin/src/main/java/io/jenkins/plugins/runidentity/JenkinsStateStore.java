package io.jenkins.plugins.runidentity;

import io.jenkins.plugins.runidentity.core.AuditStore;
import io.jenkins.plugins.runidentity.core.KeyStore;
import io.jenkins.plugins.runidentity.core.StateStore;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The engine's state on a controller: the audit log in {@code $JENKINS_HOME/run-identity/} (the engine's own
 * file format) and the signing keys as {@code Secret}s in the global configuration.
 */
final class JenkinsStateStore implements StateStore {
    private final FileStateStore files;
    private final KeyStore keys;

    private JenkinsStateStore(FileStateStore files, KeyStore keys) {
        this.files = files;
        this.keys = keys;
    }

    static JenkinsStateStore open(Path dir, KeyStore keys) {
        return new JenkinsStateStore(FileStateStore.open(dir, Clock.systemUTC()), keys);
    }

    @Override
    public KeyStore keys() {
        return keys;
    }

    @Override
    public AuditStore audit() {
        return files.audit();
    }

    @Override
    public void close() {
        files.close();
    }
}
