/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/FilePath.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/*
 * Bodies: plain unit tests write token files into a local folder, so a FilePath made from a local File works for
 * the members below, the way the real class behaves on the controller's own disk (no channel). Everything else
 * about the real class (remote channels, the many other members) is absent.
 */
// Real: implements SerializableOnlyOverRemoting (remoting), which extends Serializable.
public final class FilePath implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String remote;

    public FilePath(@NonNull File localPath) {
        this.remote = localPath.getPath();
    }

    public FilePath(@NonNull FilePath base, @NonNull String rel) {
        this.remote = new File(base.remote, rel).getPath();
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        return new File(remote).getName();
    }

    @CheckForNull
    public FilePath getParent() {
        File parent = new File(remote).getParentFile();
        return parent == null ? null : new FilePath(parent);
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(Path.of(remote));
    }

    public FilePath createTempFile(final String prefix, final String suffix) throws IOException, InterruptedException {
        return new FilePath(this, File.createTempFile(prefix, suffix, new File(remote)).getName());
    }

    public boolean delete() throws IOException, InterruptedException {
        return Files.deleteIfExists(Path.of(remote));
    }

    public @NonNull FilePath child(String relOrAbsolute) {
        return new FilePath(this, relOrAbsolute);
    }

    @CheckForNull
    public FilePath sibling(String rel) {
        FilePath parent = getParent();
        return parent != null ? parent.child(rel) : null;
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        return callable.invoke(new File(remote), null);
    }

    // Real: also extends RoleSensitive (remoting), whose checkRoles the plugin never calls or implements itself.
    public interface FileCallable<T> extends Serializable {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
