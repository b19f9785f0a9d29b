package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.OwnerLiveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Names the process that holds a session ({@code process:<pid>:<start millis>@<host>}) and tells whether such a
 * process is gone. The start time guards against a recycled pid; sessions of other hosts are never judged.
 */
final class ProcessOwner implements OwnerLiveness {
    private static final String PREFIX = "process:";
    private final String host;

    ProcessOwner() {
        this.host = hostName();
    }

    String current() {
        ProcessHandle self = ProcessHandle.current();
        return PREFIX + self.pid() + ":" + start(self) + "@" + host;
    }

    @Override
    public boolean isGone(String owner) {
        if (owner == null || !owner.startsWith(PREFIX)) {
            return false;
        }
        int at = owner.lastIndexOf('@');
        if (at < 0 || !owner.substring(at + 1).equals(host)) {
            return false;
        }
        String[] parts = owner.substring(PREFIX.length(), at).split(":");
        if (parts.length != 2) {
            return false;
        }
        long pid, started;
        try {
            pid = Long.parseLong(parts[0]);
            started = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        long actual = start(p.get());
        return started != 0 && actual != 0 && actual != started;
    }

    private static long start(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    static String hostName() {
        try {
            Path h = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(h)) {
                return Files.readString(h).trim();
            }
        } catch (Exception e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
