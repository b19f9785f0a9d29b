package io.jenkins.plugins.runidentity.core.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * File locks are held by the whole JVM, so two stores on one folder inside one JVM would collide on them. Every
 * file lock here is taken under this JVM-wide lock for the same path first.
 */
final class JvmLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private JvmLocks() {}

    static ReentrantLock of(Path file) {
        Path key;
        try {
            key = file.toAbsolutePath().getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            key = file.toAbsolutePath().normalize();
        }
        return LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
    }
}
