package io.jenkins.plugins.runidentity.core;

import java.util.regex.Pattern;

/**
 * A pattern over slash-separated names such as Jenkins job full names: {@code *} matches within one segment,
 * {@code **} across segments, {@code ?} one character other than {@code /}. Everything else is literal.
 */
public final class Glob {
    private final String source;
    private final Pattern pattern;

    private Glob(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    public static Glob compile(String source) {
        if (source == null || source.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern matches nothing; use ** for every name");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '*') {
                if (i + 1 < source.length() && source.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(source, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String name) {
        return name != null && pattern.matcher(name).matches();
    }

    @Override
    public String toString() {
        return source;
    }
}
