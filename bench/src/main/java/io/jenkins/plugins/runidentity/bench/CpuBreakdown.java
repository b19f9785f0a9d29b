package io.jenkins.plugins.runidentity.bench;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a JMH benchmark: CPU time next to wall time, in one thread and one minute, for what the JMH run compares
 * across minutes — so that on a shared, loaded machine it shows whether the engine or the machine adds the time.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.jenkins.plugins.runidentity.bench.CpuBreakdown mint|verify|replay</pre>
 * {@code replay} needs the log {@link ReplayBench} writes (run it once first).
 */
public final class CpuBreakdown {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "mint") {
            case "mint" -> mint();
            case "verify" -> verify();
            case "replay" -> replay();
            default -> throw new IllegalArgumentException("mint, verify or replay");
        }
    }

    /** Mint vs raw RS256 sign: CPU and wall per op, 400 of each per round, alternating. */
    static void mint() throws Exception {
        Path dir = BenchSupport.tempDir("cpu-mint");
        try (RunIdentityEngine e = BenchSupport.engine(dir)) {
            RSAKey key = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
            JWSSigner signer = new RSASSASigner(key);
            JWTClaimsSet claims = BenchSupport.claims("RS256");
            int n = 400;
            for (int round = 0; round < 4; round++) {
                long c0 = CPU.getCurrentThreadCpuTime(), u0 = CPU.getCurrentThreadUserTime(), t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    e.openSession(BenchSupport.request("RS256"), BenchSupport.facts(), "bench");
                }
                long c1 = CPU.getCurrentThreadCpuTime(), u1 = CPU.getCurrentThreadUserTime(), t1 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    SignedJWT jwt = new SignedJWT(BenchSupport.header("RS256", key.getKeyID()), claims);
                    jwt.sign(signer);
                    jwt.serialize();
                }
                long c2 = CPU.getCurrentThreadCpuTime(), u2 = CPU.getCurrentThreadUserTime(), t2 = System.nanoTime();
                System.out.printf("mint: %d us cpu/op (%d user), %d us wall/op | raw sign: %d us cpu/op (%d user), %d us wall/op%n",
                        (c1 - c0) / n / 1000, (u1 - u0) / n / 1000, (t1 - t0) / n / 1000, (c2 - c1) / n / 1000,
                        (u2 - u1) / n / 1000, (t2 - t1) / n / 1000);
            }
        } finally {
            BenchSupport.delete(dir);
        }
    }

    /** Medians of the steps of an RS256 introspection, and of raw Nimbus, alternating. */
    static void verify() throws Exception {
        Path dir = BenchSupport.tempDir("cpu-verify");
        try (RunIdentityEngine e = BenchSupport.engine(dir)) {
            String token = e.openSession(BenchSupport.request("RS256"), BenchSupport.facts(), "bench").token().revealSerialized();
            RSASSAVerifier raw = new RSASSAVerifier(e.publishedKeys("rs").getKeys().get(0).toRSAKey());
            for (int round = 0; round < 4; round++) {
                System.out.printf("median us: raw parse+verify %d | parse %d | parse+claims (Gson) %d | sync %d | introspect %d%n",
                        median(() -> SignedJWT.parse(token).verify(raw)), median(() -> SignedJWT.parse(token)),
                        median(() -> SignedJWT.parse(token).getPayload().toJSONObject()), median(() -> { e.sync(); return null; }),
                        median(() -> e.introspect("rs", token)));
            }
        } finally {
            BenchSupport.delete(dir);
        }
    }

    /** Engine start over the 1,000,000-event log: wall and this thread's CPU. */
    static void replay() {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench-state")).resolve("replay-1m").toAbsolutePath();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 4; i++) {
            long c0 = CPU.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            BenchSupport.engine(dir).close();
            System.out.printf("replay: %d ms wall, %d ms cpu (this thread), %d ms cpu (process: every thread, GC included)%n",
                    (System.nanoTime() - t0) / 1_000_000, (CPU.getCurrentThreadCpuTime() - c0) / 1_000_000,
                    (os.getProcessCpuTime() - p0) / 1_000_000);
        }
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static long median(Step step) throws Exception {
        long[] t = new long[20_001];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            step.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1000;
    }
}
