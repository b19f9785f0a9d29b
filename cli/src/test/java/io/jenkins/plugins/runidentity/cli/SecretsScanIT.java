package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Runs after every other suite (its own failsafe execution): no log, test output or report they left holds a token
 * or a private key. Each suite also scans its own state folders and process output as it goes (see
 * {@link SecretScan}); this catches anything that reached a log instead.
 */
public class SecretsScanIT {
    private static final Pattern PRIVATE_JWK = Pattern.compile("\"(d|p|q|dp|dq|qi)\"\\s*:\\s*\"[A-Za-z0-9_-]{40,}\"");

    @Test
    public void noTokenOrPrivateKeyInAnyLogOrReport() throws Exception {
        List<Path> roots = Arrays.stream(System.getProperty("scanDirs", "target").split(",")).map(Path::of).filter(Files::isDirectory).toList();
        assertThat(roots).as("report folders to scan").isNotEmpty();
        List<String> findings = new ArrayList<>();
        int files = 0;
        long bytes = 0;
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path f : walk.filter(Files::isRegularFile).filter(SecretsScanIT::isLog).toList()) {
                    if (f.getFileName().toString().contains(SecretsScanIT.class.getSimpleName())) {
                        continue; // our own report, being written
                    }
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    files++;
                    bytes += text.length();
                    Matcher jwt = SecretScan.JWT.matcher(text);
                    if (jwt.find()) {
                        findings.add(f + ": a JWT at offset " + jwt.start());
                    }
                    Matcher key = PRIVATE_JWK.matcher(text);
                    if (key.find() || text.contains("PRIVATE KEY-----")) {
                        findings.add(f + ": private key material");
                    }
                }
            }
        }
        assertThat(files).as("log and report files found").isGreaterThan(5);
        assertThat(findings).isEmpty();
        System.out.println("secrets scan: " + files + " log and report files (" + bytes / 1024 + " KiB) of every suite, 0 tokens, 0 private keys");
    }

    private static boolean isLog(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".txt") || n.endsWith(".xml") || n.endsWith(".log") || n.endsWith(".dump") || n.endsWith(".dumpstream");
    }
}
