package io.jenkins.plugins.runidentity;

import hudson.util.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Serializes objects the way Pipeline saves its program state: {@code Secret}s are replaced by their
 * encrypted form (workflow-support's SecretPickle; here by a marker) and the step context by a reference.
 * Anything else that reaches the bytes would reach {@code program.dat} in plain text.
 */
final class ProgramState {
    private ProgramState() {}

    /** The serialized bytes as ISO-8859-1 text, so any string written in them can be searched. */
    static String serialize(Object... objects) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new Pickling(bytes)) {
            for (Object o : objects) {
                out.writeObject(o);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static final class Pickling extends ObjectOutputStream {
        Pickling(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (obj instanceof Secret) {
                return "<encrypted secret>";
            }
            if (obj instanceof StepContext) {
                return "<step context>";
            }
            return obj;
        }
    }
}
