package io.jenkins.plugins.runidentity.bench;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jenkins.plugins.runidentity.core.EndpointRequest;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a JMH benchmark: CPU time next to wall time, in one thread and one minute, for what the JMH run compares
 * across minutes — so that on a shared, loaded machine it shows whether the engine or the machine adds the time.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.jenkins.plugins.runidentity.bench.CpuBreakdown mint|verify|replay|endpoints</pre>
 * {@code replay} needs the log {@link ReplayBench} writes (run it once first).
 */
public final class CpuBreakdown {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "mint") {
            case "mint" -> mint();
            case "verify" -> verify();
            case "replay" -> replay();
            case "endpoints" -> endpoints();
            default -> throw new IllegalArgumentException("mint, verify, replay or endpoints");
        }
    }

    /**
     * Mint against its floor in the same minute: one mint, one raw sign (Nimbus, same claims shape) and one raw
     * 300-byte append + fdatasync in the same folder, interleaved op by op, so that all three see the same CPU and
     * disk contention; medians of wall time per op, and CPU per op. The JMH run measures them minutes apart.
     */
    static void mint() throws Exception {
        Path dir = BenchSupport.tempDir("cpu-mint");
        try (RunIdentityEngine e = BenchSupport.engine(dir);
             java.nio.channels.FileChannel log = java.nio.channels.FileChannel.open(dir.resolve("raw.log"),
                     java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] line = ("{\"seq\":1,\"event\":\"minted\",\"pad\":\"" + "x".repeat(300)).substring(0, 299).concat("\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long[] position = {0};
            for (String alg : new String[] {"RS256", "ES256"}) {
                com.nimbusds.jose.jwk.JWK key = alg.equals("RS256") ? new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate()
                        : new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyIDFromThumbprint(true).generate();
                JWSSigner signer = alg.equals("RS256") ? new RSASSASigner(key.toRSAKey())
                        : new com.nimbusds.jose.crypto.ECDSASigner(key.toECKey());
                JWTClaimsSet claims = BenchSupport.claims(alg);
                int n = 400;
                for (int round = 0; round < 4; round++) {
                    long[] mint = new long[n], sign = new long[n], append = new long[n];
                    long mintCpu = 0, signCpu = 0;
                    for (int i = 0; i < n; i++) {
                        long c0 = CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                        e.openSession(BenchSupport.request(alg), BenchSupport.facts(), "bench");
                        long c1 = CPU.getCurrentThreadCpuTime(), t1 = System.nanoTime();
                        SignedJWT jwt = new SignedJWT(BenchSupport.header(alg, key.getKeyID()), claims);
                        jwt.sign(signer);
                        jwt.serialize();
                        long c2 = CPU.getCurrentThreadCpuTime(), t2 = System.nanoTime();
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(line);
                        while (b.hasRemaining()) {
                            position[0] += log.write(b, position[0]);
                        }
                        log.force(false);
                        long t3 = System.nanoTime();
                        mint[i] = t1 - t0;
                        sign[i] = t2 - t1;
                        append[i] = t3 - t2;
                        mintCpu += c1 - c0;
                        signCpu += c2 - c1;
                    }
                    Arrays.sort(mint);
                    Arrays.sort(sign);
                    Arrays.sort(append);
                    long m = mint[n / 2] / 1000, sg = sign[n / 2] / 1000, ap = append[n / 2] / 1000;
                    System.out.printf("%s median us: mint %d | raw sign %d | raw append+fdatasync %d | mint / (sign + append) %.2f"
                                    + " | cpu/op us: mint %d, raw sign %d | load %s%n", alg, m, sg, ap, (double) m / (sg + ap),
                            mintCpu / n / 1000, signCpu / n / 1000, load());
                }
            }
        } finally {
            BenchSupport.delete(dir);
        }
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
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

    /**
     * What the HTTP benchmark's endpoints cost without HTTP: medians of {@code IssuerEndpoints.handle} for JWKS and for
     * introspection of a valid and a revoked RS256 token, next to the engine's introspection alone and raw Nimbus.
     */
    static void endpoints() throws Exception {
        Path dir = BenchSupport.tempDir("cpu-endpoints");
        try (RunIdentityEngine e = BenchSupport.engine(dir)) {
            String valid = e.openSession(BenchSupport.request("RS256"), BenchSupport.facts(), "bench").token().revealSerialized();
            var closed = e.openSession(BenchSupport.request("RS256"), BenchSupport.facts(), "bench");
            e.closeSession(closed.id(), io.jenkins.plugins.runidentity.core.CloseReason.BLOCK_COMPLETED);
            String revoked = closed.token().revealSerialized();
            RSASSAVerifier raw = new RSASSAVerifier(e.publishedKeys("rs").getKeys().get(0).toRSAKey());
            var endpoints = e.endpoints();
            String path = java.net.URI.create(BenchSupport.RS_URL).getPath();
            for (int round = 0; round < 4; round++) {
                System.out.printf("median us: jwks %d | introspect valid %d | introspect revoked %d | engine.introspect valid %d"
                                + " | raw parse+verify %d%n",
                        median(() -> endpoints.handle(new EndpointRequest("GET", path + "/jwks", null, null, new byte[0]))),
                        median(() -> endpoints.handle(form(path, valid))), median(() -> endpoints.handle(form(path, revoked))),
                        median(() -> e.introspect("rs", valid)), median(() -> SignedJWT.parse(valid).verify(raw)));
            }
        } finally {
            BenchSupport.delete(dir);
        }
    }

    private static EndpointRequest form(String path, String token) {
        return new EndpointRequest("POST", path + "/introspect", null, "application/x-www-form-urlencoded",
                ("token=" + token).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
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
