/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/console/LineTransformationOutputStream.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/*
 * Bodies: the masking test pushes text through a subclass, so this buffers bytes and hands each complete line
 * (with its line feed) to eol, and the rest on close, as the real class documents. Written for the stand-in.
 */
public abstract class LineTransformationOutputStream extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    protected abstract void eol(byte[] b, int len) throws IOException;

    @Override
    public void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            endLine();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void close() throws IOException {
        forceEol();
    }

    public void forceEol() throws IOException {
        if (line.size() > 0) {
            endLine();
        }
    }

    private void endLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        eol(bytes, bytes.length);
    }

    public abstract static class Delegating extends LineTransformationOutputStream {
        protected final OutputStream out;

        protected Delegating(OutputStream out) {
            this.out = out;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            super.close();
            out.close();
        }
    }
}
