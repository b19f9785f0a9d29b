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
 * Masks tokens in the console output of the {@code withRunIdentity} block:
 * <ul>
 * <li>the block's first token as is, and every base64 (standard and URL-safe) rendering of it, whatever its
 *     alignment within the encoded text;</li>
 * <li>any compact JWS — three base64url segments joined by dots, the first a JSON object ({@code eyJ…}) — and any
 *     base64 text that decodes to something containing one. This is what masks the tokens that refreshes put into
 *     the token file later: the filter is built once, when the block starts, and may run on an agent, so it cannot
 *     learn them, and it must not ask the controller for them.</li>
 * </ul>
 *
 * <p>Pipeline applies a body-context filter per step through workflow-api's {@code TaskListenerDecorator},
 * which calls only the {@link AbstractBuild} overload and ignores filters that are not {@link Serializable}.
 * The exact-token pattern contains the token, so it is held as a {@link Secret}; the shape patterns hold nothing
 * secret and are not part of the serialized form. Lines with nothing to mask pass through byte for byte.
 */
final class TokenMaskingFilter extends ConsoleLogFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a masked occurrence becomes. */
    static final String MASK = "****";

    /** Encoded fragments shorter than this are too generic to mask without ruining the log. */
    private static final int SHORTEST_FORM = 8;

    /**
     * A compact JWS whose header is a JSON object: base64url of <code>{"</code> is {@code eyJ}. The lengths are far
     * below any real token's (an ES256 signature alone is 86 characters) and far above ordinary dotted names.
     */
    static final Pattern COMPACT_JWS = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}");

    /** Base64 text (either alphabet) long enough to hold the encoding of a {@link #COMPACT_JWS}. */
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{48,}={0,2}");

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

    /**
     * The line with every token masked: first tokens by shape (base64 text has no dots, so this never cuts into an
     * encoded token), then base64 text that hides a token (as a whole, so no fragment of it is left), then the exact
     * forms of the block's first token.
     */
    static String mask(String line, Pattern exact) {
        String masked = COMPACT_JWS.matcher(line).replaceAll(MASK);
        masked = replaceEncodedTokens(masked);
        return exact.matcher(masked).replaceAll(MASK);
    }

    private static String replaceEncodedTokens(String line) {
        Matcher m = BASE64_RUN.matcher(line);
        if (!m.find()) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length());
        do {
            m.appendReplacement(out, hidesToken(m.group()) ? MASK : Matcher.quoteReplacement(m.group()));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /** Whether base64 text, read from any of its four possible starting offsets, decodes to text holding a token. */
    static boolean hidesToken(String run) {
        String text = run.replace("=", "").replace('-', '+').replace('_', '/');
        for (int skip = 0; skip < 4 && text.length() - skip >= 4; skip++) {
            int usable = (text.length() - skip) / 4 * 4;
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text.substring(skip, skip + usable));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (COMPACT_JWS.matcher(new String(decoded, StandardCharsets.ISO_8859_1)).find()) {
                return true;
            }
        }
        return false;
    }

    /** Replaces every token in each line; lines without one pass through byte for byte. */
    private static final class MaskingStream extends LineTransformationOutputStream.Delegating {
        private final Pattern exact;
        private final Charset charset;

        MaskingStream(OutputStream out, Pattern exact, Charset charset) {
            super(out);
            this.exact = exact;
            this.charset = charset;
        }

        @Override
        protected void eol(byte[] b, int len) throws IOException {
            String line = new String(b, 0, len, charset);
            String masked = mask(line, exact);
            if (masked.equals(line)) {
                out.write(b, 0, len);
            } else {
                out.write(masked.getBytes(charset));
            }
        }
    }
}
