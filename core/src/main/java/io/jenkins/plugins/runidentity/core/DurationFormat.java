package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the product: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}, or ISO-8601
 * ({@code PT10M}). Durations are whole seconds, positive, and at most 3650 days.
 */
public final class DurationFormat {
    private static final Pattern COMPACT = Pattern.compile("(?:(\\d{1,5})d)?(?:(\\d{1,6})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");
    private static final Duration LIMIT = Duration.ofDays(3650);
    static final String EXAMPLES = "use e.g. 90s, 10m, 1h30m, 2d or PT10M";

    private DurationFormat() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message naming the bad text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty duration; " + EXAMPLES);
        }
        String t = text.trim();
        Duration d;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(UserText.quote(text) + " is not a duration; " + EXAMPLES);
            }
        } else {
            Matcher m = COMPACT.matcher(t);
            if (!m.matches() || t.isEmpty()) {
                throw new IllegalArgumentException(UserText.quote(text) + " is not a duration; " + EXAMPLES);
            }
            d = Duration.ZERO;
            d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3)).plusSeconds(group(m, 4));
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(UserText.quote(text) + " is not a positive duration; " + EXAMPLES);
        }
        if (d.getNano() != 0) {
            throw new IllegalArgumentException(UserText.quote(text) + " has fractions of a second; durations are whole seconds");
        }
        if (d.compareTo(LIMIT) > 0) {
            throw new IllegalArgumentException(UserText.quote(text) + " is longer than 3650d");
        }
        return d;
    }

    private static long group(Matcher m, int g) {
        String s = m.group(g);
        return s == null ? 0 : Long.parseLong(s);
    }

    /** The compact form, e.g. {@code 1h30m}; the inverse of {@link #parse(String)}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long days = s / 86400, hours = (s % 86400) / 3600, minutes = (s % 3600) / 60, seconds = s % 60;
        if (days > 0) out.append(days).append('d');
        if (hours > 0) out.append(hours).append('h');
        if (minutes > 0) out.append(minutes).append('m');
        if (seconds > 0) out.append(seconds).append('s');
        return out.toString();
    }
}
