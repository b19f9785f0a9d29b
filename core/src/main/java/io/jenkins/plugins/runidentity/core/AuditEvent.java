package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Something worth recording, before it is sealed onto the chain. Values are strings, whole numbers or lists of
 * strings. Nothing secret ever goes in: no token, no key.
 */
public final class AuditEvent {
    public static final String MINTED = "minted";
    public static final String REVOKED = "revoked";
    public static final String DENIED = "denied";
    public static final String RUN_STARTED = "run-started";
    public static final String KEY_PUBLISHED = "key-published";
    public static final String KEY_ACTIVATED = "key-activated";
    public static final String KEY_RETIRED = "key-retired";
    public static final String KEY_REMOVED = "key-removed";
    public static final String REFRESHED = "refreshed";
    public static final String STATUS_RESERVED = "status-reserved";
    public static final String LOG_REPAIRED = "log-repaired";
    public static final String EXCHANGED = "exchanged";
    public static final String EXCHANGE_FAILED = "exchange-failed";
    public static final String DOWNSTREAM_REVOKED = "downstream-revoked";
    public static final String DOWNSTREAM_REVOKE_FAILED = "downstream-revoke-failed";

    private final String type;
    private final Instant time;
    private final Map<String, Object> fields;

    private AuditEvent(String type, Instant time, Map<String, Object> fields) {
        this.type = type;
        this.time = time;
        this.fields = Collections.unmodifiableMap(fields);
    }

    public static Builder of(String type, Instant time) {
        return new Builder(type, time);
    }

    public String type() {
        return type;
    }

    public Instant time() {
        return time;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    /** Builds an event; null values are left out. */
    public static final class Builder {
        private final String type;
        private final Instant time;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String type, Instant time) {
            if (type == null || !type.matches("[a-z][a-z-]*")) {
                throw new IllegalArgumentException("bad event type");
            }
            this.type = type;
            this.time = time;
        }

        public Builder put(String name, String value) {
            if (value != null) fields.put(name, value);
            return this;
        }

        public Builder put(String name, long value) {
            fields.put(name, value);
            return this;
        }

        public Builder put(String name, List<String> value) {
            if (value != null) fields.put(name, List.copyOf(value));
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(type, time, new LinkedHashMap<>(fields));
        }
    }
}
