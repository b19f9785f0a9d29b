package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.OwnerLiveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Names the process that holds a session ({@code process:<pid>:<start millis>@<host>;<scope>}) and tells whether such
 * a process is gone. The start time guards against a recycled pid. A process is judged only by processes of the same
 * scope: the same kernel boot and the same pid namespace, where a pid means the same process. A host name is no such
 * guarantee (containers may share a kernel but not pids, or share pids under another name), so it is only there for
 * people reading the audit log. Owners of any other scope are never judged: their sessions end by expiry.
 */
final class ProcessOwner implements OwnerLiveness {
    private static final String PREFIX = "process:";
    private final String host;
    private final String scope;

    /** Boot and pid namespace cannot change while this process lives: read once, not on every sweep of serve. */
    private static final class Here {
        static final String SCOPE = scope();
    }

    ProcessOwner() {
        this(hostName(), Here.SCOPE);
    }

    ProcessOwner(String host, String scope) {
        this.host = host;
        this.scope = scope;
    }

    String current() {
        ProcessHandle self = ProcessHandle.current();
        return PREFIX + self.pid() + ":" + start(self) + "@" + host + ";" + scope;
    }

    @Override
    public boolean isGone(String owner) {
        if (owner == null || !owner.startsWith(PREFIX)) {
            return false;
        }
        int at = owner.lastIndexOf('@');
        int semi = owner.lastIndexOf(';');
        if (at < 0 || semi < at || !owner.substring(semi + 1).equals(scope)) {
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

    /**
     * Where pids are comparable: the kernel's boot id and this process's pid namespace, as Linux reports them;
     * elsewhere the host name (no namespaces to confuse it with).
     */
    static String scope() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            if (!boot.isEmpty() && !ns.isEmpty()) {
                return boot + "/" + ns;
            }
        } catch (Exception e) {
            // not Linux, or /proc not mounted
        }
        return "host:" + hostName();
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
