package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.ExchangeFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The state folder's secret store hands out a secret only from a file nobody else can read. */
public class StateSecretsTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void readsOwnerOnlyFilesAndRefusesEverythingElse() throws Exception {
        Path dir = tmp.newFolder("secrets").toPath();
        StateSecrets secrets = new StateSecrets(dir);
        Path good = Files.writeString(dir.resolve("sso"), "s3cret\n");
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
        assertThat(secrets.reveal("sso")).isEqualTo("s3cret");

        Path shared = Files.writeString(dir.resolve("shared"), "x");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(dir.resolve("link"), good);
        Object[][] cases = {
            {"shared", "client secret file " + shared + " may be read by others; run: chmod 600 " + shared},
            {"empty", "client secret file " + empty + " is empty"},
            {"missing", "client secret 'missing' is not in the secret store: create " + dir.resolve("missing") + " (mode 0600) holding the secret"},
            {"link", "client secret 'link' is not in the secret store: create " + dir.resolve("link") + " (mode 0600) holding the secret"},
        };
        for (Object[] c : cases) {
            assertThatThrownBy(() -> secrets.reveal((String) c[0])).as((String) c[0]).isInstanceOfSatisfying(ExchangeFailedException.class,
                    e -> assertThat(e.refused()).isTrue()).hasMessage((String) c[1]).hasMessageNotContaining("s3cret");
        }
        assertThatThrownBy(() -> secrets.reveal("../sso")).isInstanceOf(ConfigurationException.class)
                .hasMessage("client secret name '../sso' is not valid; use letters, digits, '.', '_' and '-'");
    }
}
