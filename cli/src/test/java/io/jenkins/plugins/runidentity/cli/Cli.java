package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code run-identity.jar} in real processes against one state folder, and remembers all it printed. */
final class Cli implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("runIdentityJar", "target/run-identity.jar"));
    final Path home;
    final int port;
    final String issuer;
    private Process server;
    /** Everything any command printed, for the secrets scan. */
    final StringBuilder transcript = new StringBuilder();

    record Result(int exit, String out, String err) {}

    Cli(Path home) throws IOException {
        assertThat(JAR).as("the shaded jar (run mvn package)").exists();
        this.home = home;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        this.issuer = "http://127.0.0.1:" + port + "/default";
    }

    ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("RUN_IDENTITY_HOME", home.toString());
        return pb;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = builder(args);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cli", ".out"), err = Files.createTempFile("cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("run-identity " + String.join(" ", args) + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        synchronized (transcript) {
            transcript.append(r.out).append('\n').append(r.err).append('\n');
        }
        return r;
    }

    /** A fresh state folder in {@code tmp}, initialized, with {@code serve} running on it. */
    static Cli served(org.junit.rules.TemporaryFolder tmp) throws Exception {
        Cli cli = new Cli(tmp.newFolder("state").toPath());
        cli.init();
        cli.serve();
        return cli;
    }

    void init() throws Exception {
        Result r = run("init", "--issuer-url", issuer);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** Starts {@code serve} on the issuer's port and waits (bounded) until it answers. */
    void serve(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(List.of(options));
        server = builder(args.toArray(String[]::new)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("serve's first line").startsWith("run-identity serve: listening on http://127.0.0.1:" + port);
        Thread drain = new Thread(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    synchronized (transcript) {
                        transcript.append(l).append('\n');
                    }
                }
            } catch (IOException e) {
                // server gone
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    /** POSTs a form to the issuer. */
    Http post(String path, String form) throws IOException {
        return http("POST", path, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
    }

    record Http(int status, String contentType, String body) {}

    Http http(String method, String path, String contentType, byte[] body) throws IOException {
        return http(method, path, contentType, body, 10000);
    }

    Http http(String method, String path, String contentType, byte[] body, int readTimeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(issuer + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(readTimeoutMillis);
        if (contentType != null) {
            c.setRequestProperty("Content-Type", contentType);
        }
        if (body != null) {
            c.setDoOutput(true);
            try (var o = c.getOutputStream()) {
                o.write(body);
            } catch (IOException e) {
                // the server may answer 413 before reading everything; the status is what matters
            }
        }
        int status = c.getResponseCode();
        var in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Http(status, c.getContentType(), text);
    }

    boolean active(String token) throws IOException {
        Http r = post("/introspect", "token=" + token);
        assertThat(r.status()).isEqualTo(200);
        return r.body().contains("\"active\":true");
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
