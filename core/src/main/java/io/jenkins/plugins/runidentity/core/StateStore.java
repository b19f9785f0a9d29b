package io.jenkins.plugins.runidentity.core;

import java.io.Closeable;

/** All the state the engine keeps: keys and the audit log (sessions and revocations are projections of it). */
public interface StateStore extends Closeable {
    KeyStore keys();

    AuditStore audit();

    @Override
    void close();
}
