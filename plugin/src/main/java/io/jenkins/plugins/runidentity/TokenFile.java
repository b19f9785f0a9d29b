package io.jenkins.plugins.runidentity;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import jenkins.MasterToSlaveFileCallable;

/**
 * Puts a token into the token file, on the machine that holds it, so that a reader sees either the old token or the
 * new one, never a partial file and never a file others may read: the token goes into a new owner-only (0600) file
 * in the same folder, which is synced and then renamed over the token file.
 */
final class TokenFile extends MasterToSlaveFileCallable<Void> {
    private static final long serialVersionUID = 1L;

    private final String name;
    /** Travels to the agent over the channel only; never saved. */
    private final Secret token;

    private TokenFile(String name, Secret token) {
        this.name = name;
        this.token = token;
    }

    /** Replaces (or creates) {@code dir/name} with a file holding {@code token}. */
    static void write(FilePath dir, String name, Secret token) throws IOException, InterruptedException {
        dir.act(new TokenFile(name, token));
    }

    @Override
    public Void invoke(File dir, VirtualChannel channel) throws IOException {
        Path folder = dir.toPath();
        Path target = folder.resolve(name);
        Path temp = folder.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(folder, ".run-identity", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(folder, ".run-identity", ".tmp"); // Windows: the folder's ACL, as for any file the build writes
        boolean moved = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(token.getPlainText().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
        return null;
    }
}
