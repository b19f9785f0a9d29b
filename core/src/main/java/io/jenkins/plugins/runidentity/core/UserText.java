package io.jenkins.plugins.runidentity.core;

/**
 * Quotes user-supplied text for an error message: bounded in length, control and bidi characters escaped, so that a
 * hostile value cannot forge extra lines in a log or a console, or make it display in another order.
 */
public final class UserText {
    private static final int MAX = 80;

    private UserText() {}

    /**
     * {@code 'value'} with control characters (C0, DEL, C1), line separators, bidi controls and unpaired surrogates
     * escaped, and long values cut between characters.
     */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8).append('\'');
        int shown = 0;
        for (int i = 0; i < value.length(); i++) {
            if (shown >= MAX) {
                out.append("…(").append(value.length()).append(" chars)");
                break;
            }
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i)); // a pair is one character: never cut between its halves
            } else if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029'
                    || Character.isSurrogate(c) || isBidiControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            shown++;
        }
        return out.append('\'').toString();
    }

    /**
     * Whether {@code c} is one of Unicode's bidi controls (the Bidi_Control property: ALM, LRM, RLM, the embeddings and
     * overrides U+202A–U+202E, the isolates U+2066–U+2069), which make text display in another order than it reads.
     */
    public static boolean isBidiControl(char c) {
        return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** Whether {@code value} is valid Unicode text: no unpaired surrogate, which no encoding can carry. */
    public static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
