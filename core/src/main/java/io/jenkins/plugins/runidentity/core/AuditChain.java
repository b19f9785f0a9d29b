package io.jenkins.plugins.runidentity.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Seals events onto the hash chain and verifies a chain. */
public final class AuditChain {
    /** The {@code prev} of the first record. */
    public static final String GENESIS = "0".repeat(64);
    static final String HASH_MEMBER = ",\"hash\":\"";
    private static final Set<String> OWN_MEMBERS = Set.of("seq", "time", "event", "prev", "hash");

    private AuditChain() {}

    /** Seals {@code event} as the record after {@code previous} (null for the first record). */
    public static AuditRecord seal(AuditRecord previous, AuditEvent event) {
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prev = previous == null ? GENESIS : previous.hash();
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("seq", seq);
        content.put("time", event.time().toString());
        content.put("event", event.type());
        event.fields().forEach((k, v) -> {
            if (OWN_MEMBERS.contains(k)) {
                throw new IllegalArgumentException("event field '" + k + "' is reserved by the chain");
            }
            content.put(k, v);
        });
        content.put("prev", prev);
        String canonical = escapeForTheLog(JSONObjectUtils.toJSONString(content));
        String hash = sha256(canonical);
        String line = canonical.substring(0, canonical.length() - 1) + HASH_MEMBER + hash + "\"}";
        return new AuditRecord(seq, event.time(), event.type(), content, prev, hash, line);
    }

    /** Why {@code record} cannot follow {@code previous}, or null when it can. */
    public static String linkProblem(AuditRecord previous, AuditRecord record) {
        long expectedSeq = previous == null ? 1 : previous.seq() + 1;
        if (record.seq() != expectedSeq) {
            return "seq " + record.seq() + " where " + expectedSeq + " was expected (a record is missing or out of order)";
        }
        String expectedPrev = previous == null ? GENESIS : previous.hash();
        if (!record.prev().equals(expectedPrev)) {
            return "prev does not match the hash of the record before it (a record was removed, inserted or reordered)";
        }
        return null;
    }

    /** Verifies a whole log, line by line; names the first bad line. */
    public static AuditVerification verify(Iterator<String> lines) {
        Checker c = new Checker();
        while (lines.hasNext() && c.accept(lines.next())) {
            // keep going until the first bad line
        }
        return c.result();
    }

    /** Verifies a log fed one line at a time; stops at the first bad line. */
    public static final class Checker {
        private AuditRecord previous;
        private long lineNo;
        private AuditVerification broken;
        private final java.util.NavigableMap<Long, String> anchors = new java.util.TreeMap<>();

        /**
         * Also requires record {@code line} to have {@code hash}, as an earlier verification printed it
         * ({@link AuditVerification#anchor()}) and someone kept it where this host cannot rewrite it. A chain that
         * was cut off before that record, or recomputed up to it, fails.
         */
        public Checker anchor(long line, String hash) {
            anchors.put(line, hash);
            return this;
        }

        /** Checks the next line; false once a bad line was seen. */
        public boolean accept(String line) {
            if (broken != null) {
                return false;
            }
            lineNo++;
            AuditRecord record;
            try {
                record = AuditRecord.parse(line);
            } catch (IllegalArgumentException e) {
                broken = AuditVerification.broken(lineNo - 1, lineNo, e.getMessage());
                return false;
            }
            String problem = linkProblem(previous, record);
            if (problem != null) {
                broken = AuditVerification.broken(lineNo - 1, lineNo, problem);
                return false;
            }
            String anchored = anchors.get(lineNo);
            if (anchored != null && !anchored.equals(record.hash())) {
                broken = AuditVerification.broken(lineNo - 1, lineNo, "the record does not have the anchored hash "
                        + anchored + "; the log was rewritten up to here");
                return false;
            }
            previous = record;
            return true;
        }

        public AuditVerification result() {
            if (broken != null) {
                return broken;
            }
            if (!anchors.isEmpty() && anchors.lastKey() > lineNo) {
                return AuditVerification.broken(lineNo, lineNo + 1, "the log ends after " + lineNo
                        + " records, before anchored record " + anchors.lastKey() + "; records were cut off its end");
            }
            return AuditVerification.intact(lineNo, previous == null ? GENESIS : previous.hash());
        }
    }

    /**
     * The JSON writer leaves an unpaired surrogate as it is, and UTF-8 cannot carry one: written to the file it would
     * become '?' and the record would no longer match its hash. As a JSON escape it reads back exactly. Bidi controls
     * and C1 control characters are written as escapes too, so that a line shown as it is (`audit show --json`, a
     * pager, a SIEM) never displays in another order than it reads, nor drives a terminal.
     */
    private static String escapeForTheLog(String json) {
        if (!needsEscape(json)) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c) || UserText.isBidiControl(c) || (c >= 0x7f && c <= 0x9f)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String json) {
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= 0x7f && (c <= 0x9f || Character.isSurrogate(c) || UserText.isBidiControl(c))) {
                return true;
            }
        }
        return false;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the SHA-256 of {@code bytes[0, length)} followed by a closing brace is written, in lower-case hex, at
     * {@code bytes[hexAt, hexAt + 64)}; without building any string.
     */
    static boolean sha256Matches(byte[] bytes, int length, int hexAt) {
        if (length < 0 || hexAt < 0 || hexAt + 64 > bytes.length) {
            return false;
        }
        MessageDigest d = SHA256.get();
        d.reset();
        d.update(bytes, 0, length);
        d.update((byte) '}');
        byte[] digest = d.digest();
        for (int i = 0; i < 32; i++) {
            if (bytes[hexAt + 2 * i] != HEX_DIGITS[(digest[i] >> 4) & 0xF] || bytes[hexAt + 2 * i + 1] != HEX_DIGITS[digest[i] & 0xF]) {
                return false;
            }
        }
        return true;
    }

    static String sha256(String text) {
        MessageDigest d = SHA256.get();
        d.reset();
        return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
