package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import jenkins.model.Jenkins;

/**
 * Manage Jenkins » Run Identity audit: the audit log of every identity on this controller, filterable, with
 * chain verification. Administrators and holders of Overall/SystemRead may look; nobody can change it here.
 */
@Extension
public final class RunIdentityAuditLink extends ManagementLink {

    /** The newest records shown; the log itself keeps everything. */
    static final int SHOWN = 500;

    @Override
    public String getIconFileName() {
        return "symbol-fingerprint";
    }

    @Override
    public String getDisplayName() {
        return "Run Identity audit";
    }

    @Override
    public String getDescription() {
        return "Every run identity minted, denied and revoked on this controller, from a tamper-evident log.";
    }

    @Override
    public String getUrlName() {
        return "run-identity-audit";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.SYSTEM_READ;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    /** The event types a filter can pick; the empty string means any. */
    public List<String> getEventTypes() {
        return List.of("", AuditEvent.MINTED, AuditEvent.REVOKED, AuditEvent.DENIED, AuditEvent.KEY_PUBLISHED,
                AuditEvent.KEY_ACTIVATED, AuditEvent.KEY_RETIRED, AuditEvent.LOG_REPAIRED);
    }

    /**
     * The newest matching records, newest first.
     *
     * @param job   part of a job's full name, or empty for every job
     * @param event an event type such as {@code minted}, or empty for every event
     */
    public List<AuditRow> records(@CheckForNull String job, @CheckForNull String event) {
        Jenkins.get().checkPermission(Jenkins.SYSTEM_READ);
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        if (engine == null) {
            return List.of();
        }
        String j = job == null ? "" : job.trim().toLowerCase(Locale.ROOT);
        String e = event == null ? "" : event.trim();
        List<AuditRecord> matching = engine.auditRecords(r ->
                (e.isEmpty() || e.equals(r.type()))
                        && (j.isEmpty() || (r.string("job") != null && r.string("job").toLowerCase(Locale.ROOT).contains(j))));
        List<AuditRow> rows = new ArrayList<>();
        for (int i = matching.size() - 1; i >= 0 && rows.size() < SHOWN; i--) {
            rows.add(new AuditRow(matching.get(i)));
        }
        return Collections.unmodifiableList(rows);
    }

    /** Verifies the whole chain and says so in one line; null when Run Identity is not configured. */
    @CheckForNull
    public String verifyAudit() {
        Jenkins.get().checkPermission(Jenkins.SYSTEM_READ);
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        return engine == null ? null : engine.verifyAudit().describe();
    }

    /** One record for the view; audit records never hold a token or key. */
    public static final class AuditRow {
        private final AuditRecord record;

        AuditRow(AuditRecord record) {
            this.record = record;
        }

        public long getSeq() {
            return record.seq();
        }

        public String getTime() {
            return record.time().toString();
        }

        public String getEvent() {
            return record.type();
        }

        public String getJob() {
            return text("job");
        }

        public String getBuild() {
            long b = record.number("build");
            return b < 0 ? "" : Long.toString(b);
        }

        public String getIssuer() {
            return text("issuer");
        }

        public String getTemplate() {
            return text("template");
        }

        public String getSubject() {
            return text("sub");
        }

        public String getJti() {
            return text("jti");
        }

        public String getReason() {
            return text("reason");
        }

        private String text(String name) {
            String v = record.string(name);
            return v == null ? "" : v;
        }
    }
}
