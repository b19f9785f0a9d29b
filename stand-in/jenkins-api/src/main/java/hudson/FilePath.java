/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/FilePath.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson;

import java.io.IOException;
import java.io.Serializable;

// Real: implements SerializableOnlyOverRemoting (remoting), which extends Serializable.
public final class FilePath implements Serializable {
    private static final long serialVersionUID = 1L;

    private FilePath() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public FilePath createTempFile(final String prefix, final String suffix) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void chmod(final int mask) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stand-in");
    }

    public @edu.umd.cs.findbugs.annotations.NonNull FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("stand-in");
    }
}
