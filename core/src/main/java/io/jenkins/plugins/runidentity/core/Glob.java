package io.jenkins.plugins.runidentity.core;

/**
 * A pattern over slash-separated names such as Jenkins job full names: {@code *} matches within one segment,
 * {@code **} across segments, {@code ?} one character other than {@code /}. Everything else is literal.
 *
 * <p>Matching takes time proportional to pattern length times name length, whatever either holds: names come from
 * people who can create jobs or push branches, and a backtracking matcher (a regular expression) can be made to run
 * for hours by a pattern with several stars and a long name that almost matches.
 */
public final class Glob {
    private static final int ANY = -1;
    private static final int WITHIN_SEGMENT = -2;
    private static final int ONE = -3;

    private final String source;
    /** Code points, or one of the wildcards above. */
    private final int[] tokens;

    private Glob(String source, int[] tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    public static Glob compile(String source) {
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern matches nothing; use ** for every name");
        }
        int[] cps = source.codePoints().toArray();
        int[] tokens = new int[cps.length];
        int n = 0;
        for (int i = 0; i < cps.length; i++) {
            if (cps[i] == '*') {
                if (i + 1 < cps.length && cps[i + 1] == '*') {
                    tokens[n++] = ANY;
                    i++;
                } else {
                    tokens[n++] = WITHIN_SEGMENT;
                }
            } else {
                tokens[n++] = cps[i] == '?' ? ONE : cps[i];
            }
        }
        return new Glob(source, java.util.Arrays.copyOf(tokens, n));
    }

    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        int[] s = name.codePoints().toArray();
        // can[j]: the tokens so far match the first j code points of the name.
        boolean[] can = new boolean[s.length + 1];
        can[0] = true;
        for (int t : tokens) {
            boolean[] next = new boolean[s.length + 1];
            for (int j = 0; j <= s.length; j++) {
                next[j] = switch (t) {
                    case ANY -> can[j] || j > 0 && next[j - 1];
                    case WITHIN_SEGMENT -> can[j] || j > 0 && next[j - 1] && s[j - 1] != '/';
                    case ONE -> j > 0 && can[j - 1] && s[j - 1] != '/';
                    default -> j > 0 && can[j - 1] && s[j - 1] == t;
                };
            }
            can = next;
        }
        return can[s.length];
    }

    @Override
    public String toString() {
        return source;
    }
}
