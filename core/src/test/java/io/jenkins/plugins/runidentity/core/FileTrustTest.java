package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import io.jenkins.plugins.runidentity.core.file.FileTrust;
import io.jenkins.plugins.runidentity.core.file.FileTrust.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.util.List;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A state folder is trusted only when the current user owns it and nobody else can write into it: whoever can, can
 * put their own signing key there, and tokens are then signed with it.
 */
public class FileTrustTest {
    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(String s) {
        return PosixFilePermissions.fromString(s);
    }

    private static StoredKey aKey() {
        java.time.Instant now = java.time.Instant.now();
        return new StoredKey(SigningAlgorithm.ES256.generate(java.util.Date.from(now)), StoredKey.State.ACTIVE, now, now, null);
    }

    @Test
    public void theDecision() {
        // folders
        assertThat(FileTrust.judge(true, true, mode("rwx------"))).isEqualTo(Verdict.TRUSTED);
        assertThat(FileTrust.judge(true, true, mode("rwxr-xr-x"))).isEqualTo(Verdict.TIGHTEN);
        assertThat(FileTrust.judge(true, true, mode("rwxrwxrwx"))).isEqualTo(Verdict.TIGHTEN);
        assertThat(FileTrust.judge(true, true, mode("rwx-----x"))).isEqualTo(Verdict.TIGHTEN);
        assertThat(FileTrust.judge(true, false, mode("rwx------"))).as("another user's folder, however private").isEqualTo(Verdict.FOREIGN_OWNER);
        assertThat(FileTrust.judge(true, false, mode("rwxrwxrwx"))).isEqualTo(Verdict.FOREIGN_OWNER);
        // key files
        assertThat(FileTrust.judge(false, true, mode("rw-------"))).isEqualTo(Verdict.TRUSTED);
        assertThat(FileTrust.judge(false, true, mode("r--------"))).isEqualTo(Verdict.TRUSTED);
        assertThat(FileTrust.judge(false, true, mode("rw-r--r--"))).as("may have been read").isEqualTo(Verdict.EXPOSED);
        assertThat(FileTrust.judge(false, true, mode("rw--w----"))).as("may have been changed").isEqualTo(Verdict.EXPOSED);
        assertThat(FileTrust.judge(false, true, mode("rw-----w-"))).isEqualTo(Verdict.EXPOSED);
        assertThat(FileTrust.judge(false, false, mode("rw-------"))).as("another user's key").isEqualTo(Verdict.FOREIGN_OWNER);
    }

    @Test
    public void openFolderOfTheCurrentUserIsMadePrivate() throws Exception {
        Path state = tmp.newFolder("state").toPath();
        Path keys = Files.createDirectory(state.resolve("keys"));
        Files.setPosixFilePermissions(state, mode("rwxrwxrwx"));
        Files.setPosixFilePermissions(keys, mode("rwxrwxrwx"));
        FileStateStore.open(state, Clock.systemUTC()).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
    }

    @Test
    public void aKeyFileOthersCouldReadIsRefusedNotUsed() throws Exception {
        Path state = tmp.newFolder("state").toPath();
        try (FileStateStore store = FileStateStore.open(state, Clock.systemUTC())) {
            store.keys().update("default", k -> List.of(aKey()));
            Path file = state.resolve("keys/default.json");
            assertThat(store.keys().read("default")).hasSize(1);
            Files.setPosixFilePermissions(file, mode("rw-r--r--"));
            assertThatThrownBy(() -> store.keys().read("default")).isInstanceOf(StateException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("rw-r--r--")
                    .hasMessageContaining("chmod 600 " + file).hasMessageContaining("run-identity init")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThatThrownBy(() -> store.keys().update("default", k -> k)).as("nor rewritten").isInstanceOf(StateException.class);
            Files.setPosixFilePermissions(file, mode("rw-------"));
            assertThat(store.keys().read("default")).hasSize(1);
        }
    }

    /** Needs root to give a folder to another user; the decision itself is tested above for everyone. */
    @Test
    public void anotherUsersFolderOrKeyIsRefused() throws Exception {
        Assume.assumeTrue("needs root to chown", "root".equals(System.getProperty("user.name")));
        Path state = tmp.newFolder("state").toPath();
        try (FileStateStore store = FileStateStore.open(state, Clock.systemUTC())) {
            store.keys().update("default", k -> List.of(aKey()));
        }
        UserPrincipal me = Files.getOwner(state);
        UserPrincipal nobody = state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path key = state.resolve("keys/default.json");
        Files.setOwner(key, nobody);
        assertThatThrownBy(() -> {
            try (FileStateStore store = FileStateStore.open(state, Clock.systemUTC())) {
                store.keys().read("default");
            }
        }).isInstanceOf(StateException.class).hasMessageContaining(key.toString()).hasMessageContaining("belongs to nobody");
        Files.setOwner(key, me);
        Files.setOwner(state, nobody);
        assertThatThrownBy(() -> FileStateStore.open(state, Clock.systemUTC())).isInstanceOf(StateException.class)
                .hasMessageContaining("state folder " + state).hasMessageContaining("belongs to nobody");
        Files.setOwner(state, me);
    }
}
