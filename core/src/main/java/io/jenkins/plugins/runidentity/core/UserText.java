package io.jenkins.plugins.runidentity.core;

/**
 * Quotes user-supplied text for an error message: bounded in length, control characters escaped, so that a
 * hostile value cannot forge extra lines in a log or a console.
 */
public final class UserText {
    private static final int MAX = 80;

    private UserText() {}

    /** {@code 'value'} with control characters and unpaired surrogates escaped, and long values cut between characters. */
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
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            shown++;
        }
        return out.append('\'').toString();
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
