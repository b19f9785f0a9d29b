package io.jenkins.plugins.runidentity.core;

/**
 * Quotes user-supplied text for an error message: bounded in length, control characters escaped, so that a
 * hostile value cannot forge extra lines in a log or a console.
 */
public final class UserText {
    private static final int MAX = 80;

    private UserText() {}

    /** {@code 'value'} with control characters escaped and long values cut. */
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
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            shown++;
        }
        return out.append('\'').toString();
    }
}
