package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.AbstractBuild;
import hudson.util.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks a token in the console output of the {@code withRunIdentity} block: the token as is and every base64
 * (standard and URL-safe) rendering of it, whatever its alignment within the encoded text.
 *
 * <p>Pipeline applies a body-context filter per step through workflow-api's {@code TaskListenerDecorator},
 * which calls only the {@link AbstractBuild} overload and ignores filters that are not {@link Serializable}.
 * The filter may run on an agent. The pattern contains the token, so it is held as a {@link Secret}.
 */
final class TokenMaskingFilter extends ConsoleLogFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a masked occurrence becomes. */
    static final String MASK = "****";

    /** Encoded fragments shorter than this are too generic to mask without ruining the log. */
    private static final int SHORTEST_FORM = 8;

    private final Secret pattern;
    private final String charsetName;

    TokenMaskingFilter(@NonNull String token, @NonNull Charset charset) {
        this.pattern = Secret.fromString(patternFor(token));
        this.charsetName = charset.name();
    }

    @SuppressWarnings({"rawtypes", "deprecation"}) // the overload Pipeline calls
    @Override
    public OutputStream decorateLogger(AbstractBuild build, OutputStream logger) {
        return new MaskingStream(logger, Pattern.compile(pattern.getPlainText()), Charset.forName(charsetName));
    }

    /** A regular expression matching any of {@link #forms}, longest first. */
    static String patternFor(String token) {
        return forms(token).stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
    }

    /**
     * The token, and the part of its base64 encoding that does not depend on what surrounds it, for each of
     * the three byte alignments it can have inside a longer encoded text, in both base64 alphabets.
     */
    static Set<String> forms(String token) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(token);
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + bytes.length];
            System.arraycopy(bytes, 0, shifted, offset, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // Leading characters mix in the unknown preceding bytes; a trailing partial group mixes in what follows.
            int skipStart = offset == 0 ? 0 : offset + 1;
            int skipEnd = shifted.length % 3 == 0 ? 0 : 1;
            if (encoded.length() - skipStart - skipEnd < SHORTEST_FORM) {
                continue;
            }
            String stable = encoded.substring(skipStart, encoded.length() - skipEnd);
            forms.add(stable);
            forms.add(stable.replace('+', '-').replace('/', '_'));
        }
        return forms;
    }

    /** Replaces every match in each line; lines without a match pass through byte for byte. */
    private static final class MaskingStream extends LineTransformationOutputStream.Delegating {
        private final Pattern pattern;
        private final Charset charset;

        MaskingStream(OutputStream out, Pattern pattern, Charset charset) {
            super(out);
            this.pattern = pattern;
            this.charset = charset;
        }

        @Override
        protected void eol(byte[] b, int len) throws IOException {
            Matcher m = pattern.matcher(new String(b, 0, len, charset));
            if (m.find()) {
                out.write(m.replaceAll(MASK).getBytes(charset));
            } else {
                out.write(b, 0, len);
            }
        }
    }
}
