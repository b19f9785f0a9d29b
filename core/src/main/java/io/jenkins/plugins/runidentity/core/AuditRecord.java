package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One sealed line of the audit log: {@code {"seq":…,"time":…,"event":…,<fields>,"prev":…,"hash":…}}. {@code hash}
 * is the SHA-256 of the line as it reads without its {@code hash} member; {@code prev} is the previous record's
 * hash, so changing, removing or reordering any record breaks the chain at that record.
 */
public final class AuditRecord {
    private final long seq;
    private final Instant time;
    private final String type;
    private final Map<String, Object> content;
    private final String prev;
    private final String hash;
    /** The line as text, made from {@link #bytes} when first asked for: replaying a log never needs it. */
    private String line;
    private final byte[] bytes;

    AuditRecord(long seq, Instant time, String type, Map<String, Object> content, String prev, String hash, String line) {
        this(seq, time, type, content, prev, hash, line, null);
    }

    private AuditRecord(long seq, Instant time, String type, Map<String, Object> content, String prev, String hash, String line,
                        byte[] bytes) {
        this.seq = seq;
        this.time = time;
        this.type = type;
        this.content = Collections.unmodifiableMap(content);
        this.prev = prev;
        this.hash = hash;
        this.line = line;
        this.bytes = bytes;
    }

    /**
     * Reads one line and checks that its hash matches its content.
     *
     * @throws IllegalArgumentException describing what is wrong with the line
     */
    public static AuditRecord parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8), line);
    }

    /**
     * {@link #parse(String)} for a line as the log holds it (UTF-8, without its newline); the array becomes the
     * record's and must not change afterwards.
     */
    public static AuditRecord parse(byte[] bytes) {
        return parse(bytes, null);
    }

    private static AuditRecord parse(byte[] bytes, String text) {
        // The line ends in ,"hash":"<64 hex>"} — all ASCII, so its byte and character offsets agree there.
        int canonicalEnd = bytes.length - (AuditChain.HASH_MEMBER.length() + 64 + 2);
        if (canonicalEnd < 0 || !endsWithHashMember(bytes, canonicalEnd)) {
            throw new IllegalArgumentException("not a sealed record (no trailing \"hash\" member)");
        }
        int hashAt = canonicalEnd + AuditChain.HASH_MEMBER.length();
        String hash = new String(bytes, hashAt, 64, StandardCharsets.ISO_8859_1);
        // The canonical form is the line up to its hash member, closed: hash those bytes without building it.
        if (!AuditChain.sha256Matches(bytes, canonicalEnd, canonicalEnd + AuditChain.HASH_MEMBER.length())) {
            throw new IllegalArgumentException("hash does not match the record's content (the record was changed)");
        }
        // Fast path: the whole line in the simple shape is the canonical members plus "hash" (a canonical form that
        // already had a "hash" member would be a duplicate, and goes the general way).
        Map<String, Object> json = FlatJson.parse(bytes);
        if (json != null) {
            json.remove("hash");
        } else {
            try {
                json = JSONObjectUtils.parse(new String(bytes, 0, canonicalEnd, StandardCharsets.UTF_8) + "}");
            } catch (ParseException e) {
                throw new IllegalArgumentException("not valid JSON");
            }
        }
        Object seq = json.get("seq"), time = json.get("time"), type = json.get("event"), prev = json.get("prev");
        if (!(seq instanceof Long) || !(time instanceof String) || !(type instanceof String) || !(prev instanceof String)) {
            throw new IllegalArgumentException("missing seq, time, event or prev");
        }
        Instant t;
        try {
            t = FlatJson.instant((String) time);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("time is not an ISO-8601 instant");
        }
        return new AuditRecord((Long) seq, t, (String) type, json, (String) prev, hash, text, text == null ? bytes : null);
    }

    private static boolean endsWithHashMember(byte[] bytes, int at) {
        byte[] member = HASH_MEMBER_BYTES;
        if (!java.util.Arrays.equals(bytes, at, at + member.length, member, 0, member.length)
                || bytes[bytes.length - 2] != '"' || bytes[bytes.length - 1] != '}') {
            return false;
        }
        for (int i = at + member.length; i < bytes.length - 2; i++) {
            if (bytes[i] < 0) {
                return false; // not ASCII where the hash belongs
            }
        }
        return true;
    }

    private static final byte[] HASH_MEMBER_BYTES = AuditChain.HASH_MEMBER.getBytes(StandardCharsets.US_ASCII);

    public long seq() { return seq; }
    public Instant time() { return time; }
    public String type() { return type; }
    public String prev() { return prev; }
    public String hash() { return hash; }
    /** The line as stored, without its newline. */
    public String line() {
        String l = line;
        if (l == null) {
            l = new String(bytes, StandardCharsets.UTF_8);
            line = l;
        }
        return l;
    }
    /** Every member, including seq, time, event and prev. */
    public Map<String, Object> content() { return content; }

    /** A string member, or null. */
    public String string(String name) {
        Object v = content.get(name);
        return v instanceof String s ? s : null;
    }

    /** A whole-number member, or -1. */
    public long number(String name) {
        Object v = content.get(name);
        return v instanceof Long l ? l : -1;
    }

    /** A list-of-strings member (a single string counts as a list of one), or an empty list. */
    public List<String> strings(String name) {
        Object v = content.get(name);
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Override
    public String toString() {
        return line();
    }
}
