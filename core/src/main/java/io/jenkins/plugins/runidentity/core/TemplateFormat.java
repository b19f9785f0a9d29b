package io.jenkins.plugins.runidentity.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A claim format such as {@code job:${job}:branch:${branch}}. {@code ${name}} takes a run-fact variable;
 * {@code $$} is a literal dollar. Values are inserted literally and never expanded again, so a run fact that
 * itself contains {@code ${…}} stays as it is.
 */
public final class TemplateFormat {
    private final String source;
    /** Alternating literal text (even indexes) and variable names (odd indexes). */
    private final List<String> parts;
    private final Set<String> variables;

    private TemplateFormat(String source, List<String> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        Set<String> vars = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            vars.add(parts.get(i));
        }
        this.variables = Collections.unmodifiableSet(vars);
    }

    /**
     * Parses a format.
     *
     * @throws IllegalArgumentException naming the position of a lone {@code $}, an unclosed {@code ${} or a bad name
     */
    public static TemplateFormat parse(String source) {
        if (source == null) {
            throw new IllegalArgumentException("no format given");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < source.length() && source.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            if (i + 1 >= source.length() || source.charAt(i + 1) != '{') {
                throw new IllegalArgumentException("a lone '$' at position " + i + " in " + UserText.quote(source)
                        + "; write ${name} for a variable or $$ for a dollar sign");
            }
            int end = source.indexOf('}', i + 2);
            if (end < 0) {
                throw new IllegalArgumentException("'${' at position " + i + " is never closed in " + UserText.quote(source));
            }
            String name = source.substring(i + 2, end);
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("'${" + name + "}' in " + UserText.quote(source)
                        + " is not a variable name (lower-case letters, digits and _)");
            }
            parts.add(literal.toString());
            literal.setLength(0);
            parts.add(name);
            i = end + 1;
        }
        parts.add(literal.toString());
        return new TemplateFormat(source, parts);
    }

    public String source() {
        return source;
    }

    /** The variables this format uses, in order of first use. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Renders the format.
     *
     * @throws IllegalArgumentException naming the first variable that has no value
     */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                String value = values.get(parts.get(i));
                if (value == null) {
                    throw new IllegalArgumentException("${" + parts.get(i) + "}");
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
