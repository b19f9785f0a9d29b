package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/** The engine must not know about Jenkins: adapters translate, core decides. */
public class ArchitectureTest {
    private static final Pattern FORBIDDEN = Pattern.compile("^import\\s+(static\\s+)?(hudson|jenkins|org\\.kohsuke|org\\.jenkinsci)\\.",
            Pattern.MULTILINE);

    @Test
    public void coreImportsNothingFromJenkins() throws IOException {
        Path src = Path.of("src/main/java");
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(src)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return FORBIDDEN.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(src)).isTrue();
        assertThat(offenders).isEmpty();
    }

    @Test
    public void theCheckCatchesAJenkinsImport() {
        assertThat(FORBIDDEN.matcher("package x;\nimport hudson.model.Run;\n").find()).isTrue();
        assertThat(FORBIDDEN.matcher("package x;\nimport io.jenkins.plugins.runidentity.core.Glob;\n").find()).isFalse();
    }
}
