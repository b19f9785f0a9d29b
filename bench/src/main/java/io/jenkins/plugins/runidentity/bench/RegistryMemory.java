package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.RevocationRegistry;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retained heap per revoked entry of the {@link RevocationRegistry} holding 1,000,000 revoked token ids, shaped as
 * the engine makes them (base64url of 16 random bytes). The ids are built, handed to the registry, and dropped, so
 * what stays is what the registry keeps. Also measures a plain {@code ConcurrentHashMap<String, Long>} for
 * reference. Run with a fixed heap and the serial collector for a steady reading:
 * {@code java -Xms2g -Xmx2g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.jenkins.plugins.runidentity.bench.RegistryMemory}
 */
public final class RegistryMemory {
    static final int ENTRIES = 1_000_000;

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : ENTRIES;
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        for (int round = 0; round < 2; round++) {
            long before = usedAfterGc();
            RevocationRegistry registry = new RevocationRegistry();
            for (int i = 0; i < entries; i++) {
                registry.revoke(BenchSupport.randomId(16), exp + (i & 1023));
            }
            long after = usedAfterGc();
            System.out.printf("RevocationRegistry:             %,d entries, %,d bytes, %.1f bytes/entry%n", registry.size(),
                    after - before, (after - before) / (double) entries);
            registry = null;

            before = usedAfterGc();
            ConcurrentHashMap<String, Long> map = new ConcurrentHashMap<>();
            for (int i = 0; i < entries; i++) {
                map.put(BenchSupport.randomId(16), exp + (i & 1023));
            }
            after = usedAfterGc();
            System.out.printf("ConcurrentHashMap<String,Long>: %,d entries, %,d bytes, %.1f bytes/entry (reference)%n",
                    map.size(), after - before, (after - before) / (double) entries);
            map = null;
        }
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
