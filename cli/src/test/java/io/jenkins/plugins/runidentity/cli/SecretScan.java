package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks for secrets where they must not be: any compact JWT (whoever minted it), any given token, and any private
 * key member of the state's key files, in every state file except the secret's own, and in any text given (process
 * output, logs). A finding names where, never what.
 */
final class SecretScan {
    /** A signed JWT as our engine writes one: base64url JSON header and payload, and a signature. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{40,}");
    private static final String[] PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"};
    private final Path home;
    private final List<String> keyMaterial = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    private SecretScan(Path home) {
        this.home = home;
    }

    static SecretScan of(Path home) throws Exception {
        SecretScan s = new SecretScan(home);
        Path keys = home.resolve("keys");
        if (Files.isDirectory(keys)) {
            try (Stream<Path> files = Files.list(keys)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    for (Object k : JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(Files.readString(f)), "keys")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> jwk = (Map<String, Object>) ((Map<String, Object>) k).get("jwk");
                        for (String m : PRIVATE_MEMBERS) {
                            if (jwk.get(m) instanceof String v && v.length() >= 32) {
                                s.keyMaterial.add(v);
                            }
                        }
                    }
                }
            }
        }
        assertThat(s.keyMaterial).as("private key members found to look for").isNotEmpty();
        return s;
    }

    SecretScan tokens(List<String> t) {
        tokens.addAll(t);
        return this;
    }

    SecretScan text(String where, String text) {
        texts.merge(where, text, String::concat);
        return this;
    }

    /** Scans the state folder and every text given. */
    void assertClean() throws IOException {
        List<String> findings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                Path rel = home.relativize(f);
                boolean tokenFile = rel.startsWith("run") && f.getFileName().toString().equals("token");
                boolean keyFile = rel.startsWith("keys");
                findings.addAll(scan(rel.toString(), text, !tokenFile, !keyFile));
            }
        }
        texts.forEach((where, text) -> findings.addAll(scan(where, text, true, true)));
        assertThat(findings).as("secrets found where they must not be").isEmpty();
    }

    private List<String> scan(String where, String text, boolean noTokens, boolean noKeys) {
        List<String> found = new ArrayList<>();
        if (noTokens) {
            Matcher m = JWT.matcher(text);
            if (m.find()) {
                found.add(where + ": a JWT at offset " + m.start());
            }
            for (String t : tokens) {
                String signature = t.substring(t.lastIndexOf('.') + 1);
                if (text.contains(signature)) {
                    found.add(where + ": the signature of a token minted in this test");
                    break;
                }
            }
        }
        if (noKeys) {
            for (String k : keyMaterial) {
                if (text.contains(k)) {
                    found.add(where + ": a private key member");
                    break;
                }
            }
            if (text.contains("PRIVATE KEY")) {
                found.add(where + ": a PEM private key");
            }
        }
        return found;
    }

    /** The state folder and key folder are 0700, key files, the audit log and config 0600. */
    static void assertPrivate(Path home) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).as("state folder").isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("keys")))).as("key folder").isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(home.relativize(f).toString()).isEqualTo("rw-------");
            }
        }
    }
}
