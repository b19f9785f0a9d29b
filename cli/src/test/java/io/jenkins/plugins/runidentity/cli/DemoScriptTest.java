package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * scripts/demo.sh with its port taken by another program printed a misleading result (the other program answered)
 * or exited 1 with no message. It now says so, and what to do, before building anything.
 */
public class DemoScriptTest {
    private static final Path DEMO = Path.of("../scripts/demo.sh");
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private record Run(int exit, String out, String err) {}

    private Run demo(String port, Path home) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", DEMO.toString());
        pb.environment().put("RUN_IDENTITY_DEMO_PORT", port);
        pb.environment().put("RUN_IDENTITY_HOME", home.toString());
        Path out = tmp.newFile().toPath(), err = tmp.newFile().toPath();
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("demo.sh stops at once").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    public void aTakenPortIsNamedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = demo(Integer.toString(port), tmp.getRoot().toPath().resolve("state"));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.out()).as("nothing built, nothing served").doesNotContain("== build");
            assertThat(r.err().strip()).startsWith("demo: port " + port + " on 127.0.0.1 is already in use by another program")
                    .contains("RUN_IDENTITY_DEMO_PORT=" + (port + 1));
        }
    }

    @Test
    public void aStateFolderForAnotherPortIsNamed() throws Exception {
        Path home = tmp.newFolder("state").toPath();
        Files.writeString(home.resolve("config.yaml"), InitCommand.sampleConfig("http://127.0.0.1:18473/default"));
        Run r = demo("18474", home);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("demo: " + home + " was initialized for port 18473, not 18474");
    }
}
