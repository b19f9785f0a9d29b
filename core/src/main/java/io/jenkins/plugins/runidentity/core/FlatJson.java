package io.jenkins.plugins.runidentity.core;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fast reader for the one shape of JSON this engine writes, in audit records and in token claims: a flat object
 * whose members are strings without escapes, whole numbers, arrays of such strings and (a few levels deep) objects of
 * the same shape, with no white space.
 * Replaying a long log spends most of its time reading JSON, and reading the claims is the largest cost of a
 * verification after the signature; this reads such an object, as UTF-8 bytes, in one pass. Anything outside that
 * shape — escapes, white space, objects nested more than four deep, fractions, booleans, duplicate names, very long numbers — returns null,
 * and the caller falls back to the general parser (Nimbus'), so a document means exactly what the general parser
 * says it means.
 */
final class FlatJson {
    private FlatJson() {}

    /** Objects nested deeper than this are left to the general parser. */
    private static final int MAX_DEPTH = 4;

    /** The members of the JSON object {@code json} (UTF-8), or null if it is not in the simple shape. */
    static Map<String, Object> parse(byte[] json) {
        int n = json.length;
        if (n < 2 || json[0] != '{' || json[n - 1] != '}') {
            return null;
        }
        // Sized for the longest record the engine writes (a minted record has about 20 members): no rehashing.
        Map<String, Object> out = new LinkedHashMap<>(32);
        int end = object(json, 0, n, out, 0);
        return end == n ? out : null;
    }

    /**
     * Reads the object opening at {@code json[at]} into {@code out}; returns the index after its closing brace, or -1
     * if it is not in the simple shape. Nested objects (a token's {@code status} claim) are read the same way.
     */
    private static int object(byte[] json, int at, int n, Map<String, Object> out, int depth) {
        if (at >= n || json[at] != '{') {
            return -1;
        }
        at++;
        if (at < n && json[at] == '}') {
            return at + 1;
        }
        while (true) {
            int keyEnd = stringEnd(json, at, n);
            if (keyEnd < 0 || keyEnd + 1 >= n || json[keyEnd + 1] != ':') {
                return -1;
            }
            String key = name(json, at + 1, keyEnd);
            at = keyEnd + 2;
            if (at >= n) {
                return -1;
            }
            byte c = json[at];
            Object value;
            if (c == '"') {
                int end = stringEnd(json, at, n);
                if (end < 0) {
                    return -1;
                }
                value = new String(json, at + 1, end - at - 1, StandardCharsets.UTF_8);
                at = end + 1;
            } else if (c == '[') {
                List<Object> items = new ArrayList<>();
                at++;
                if (at < n && json[at] == ']') {
                    at++;
                } else {
                    while (true) {
                        int end = stringEnd(json, at, n);
                        if (end < 0 || end + 1 >= n) {
                            return -1;
                        }
                        items.add(new String(json, at + 1, end - at - 1, StandardCharsets.UTF_8));
                        at = end + 1;
                        byte sep = json[at];
                        at++;
                        if (sep == ']') {
                            break;
                        }
                        if (sep != ',') {
                            return -1;
                        }
                    }
                }
                value = items;
            } else if (c == '{') {
                if (depth + 1 >= MAX_DEPTH) {
                    return -1;
                }
                Map<String, Object> inner = new LinkedHashMap<>();
                at = object(json, at, n, inner, depth + 1);
                if (at < 0) {
                    return -1;
                }
                value = inner;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                boolean negative = c == '-';
                if (negative) {
                    at++;
                }
                int first = at;
                long v = 0;
                while (at < n && json[at] >= '0' && json[at] <= '9') {
                    v = v * 10 + (json[at] - '0');
                    at++;
                }
                int digits = at - first;
                // No leading zeros (other than "0" itself) and at most 18 digits: always a long, read the same way.
                if (digits == 0 || digits > 18 || (digits > 1 && json[first] == '0')) {
                    return -1;
                }
                value = negative ? -v : v;
            } else {
                return -1;
            }
            if (out.put(key, value) != null) {
                return -1;
            }
            if (at >= n) {
                return -1;
            }
            byte sep = json[at];
            if (sep == '}') {
                return at + 1;
            }
            if (sep != ',' || at + 1 >= n) {
                return -1;
            }
            at++;
        }
    }

    /** The index of the quote closing a string that opens at {@code at}, or -1 if it is not a simple string. */
    private static int stringEnd(byte[] json, int at, int n) {
        if (at >= n || json[at] != '"') {
            return -1;
        }
        for (int i = at + 1; i < n; i++) {
            byte c = json[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                return -1;
            }
        }
        return -1;
    }

    /** Member names the engine writes, so that reading one neither copies it nor hashes it again. */
    private static final String[] KNOWN_NAMES = {"seq", "time", "event", "prev", "hash", "issuer", "template", "session",
        "jti", "sub", "aud", "scope", "job", "build", "run", "iat", "exp", "kid", "owner", "reason", "alg",
        "discarded_bytes", "token_sha256", "status_list", "status_idx", "refreshes", "replaces"};
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN_NAMES.length][];

    static {
        for (int i = 0; i < KNOWN_NAMES.length; i++) {
            KNOWN_BYTES[i] = KNOWN_NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static String name(byte[] json, int from, int to) {
        int length = to - from;
        for (int k = 0; k < KNOWN_BYTES.length; k++) {
            byte[] known = KNOWN_BYTES[k];
            if (known.length == length && java.util.Arrays.equals(json, from, to, known, 0, length)) {
                return KNOWN_NAMES[k];
            }
        }
        return new String(json, from, length, StandardCharsets.UTF_8);
    }

    /**
     * Reads the form {@link Instant#toString()} writes ({@code 2026-01-02T03:04:05Z}, optionally with 3, 6 or 9
     * fraction digits); anything else, including a leap second, goes to {@link Instant#parse}.
     */
    static Instant instant(String s) {
        int n = s.length();
        if ((n == 20 || n == 24 || n == 27 || n == 30) && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || s.charAt(19) == '.')) {
            int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
            int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
            int nanos = 0;
            if (n > 20) {
                int fraction = digits(s, 20, n - 1);
                nanos = fraction < 0 ? -1 : fraction * (n == 24 ? 1_000_000 : n == 27 ? 1_000 : 1);
            }
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && second < 60 && nanos >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // not a real date: let the general parser say so
                }
            }
        }
        return Instant.parse(s);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
