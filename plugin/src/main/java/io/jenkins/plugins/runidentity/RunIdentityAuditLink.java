package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.KeyRotation;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * Manage Jenkins » Run Identity audit: the audit log of every identity on this controller, filterable, with
 * chain verification, and each issuer's signing keys (facts only, never key material). Administrators and
 * holders of Overall/SystemRead may look; only administrators may rotate an issuer's keys, and nobody can change
 * the log.
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
        return List.of("", AuditEvent.MINTED, AuditEvent.REFRESHED, AuditEvent.REVOKED, AuditEvent.DENIED,
                AuditEvent.KEY_PUBLISHED, AuditEvent.KEY_ACTIVATED, AuditEvent.KEY_RETIRED, AuditEvent.KEY_REMOVED,
                AuditEvent.LOG_REPAIRED);
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

    /** Every configured issuer with its keys, newest last; empty when Run Identity is not configured. */
    public List<IssuerKeys> getIssuerKeys() {
        Jenkins.get().checkPermission(Jenkins.SYSTEM_READ);
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        return engine == null ? List.of() : issuerKeys(engine);
    }

    static List<IssuerKeys> issuerKeys(RunIdentityEngine engine) {
        List<IssuerKeys> out = new ArrayList<>();
        for (IssuerConfig issuer : engine.config().issuers()) {
            out.add(new IssuerKeys(issuer.id(), issuer.url(),
                    engine.keys(issuer.id()).stream().map(KeyRow::new).toList()));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Rotates an issuer's keys now (administrators only; POST with a crumb), then shows this page again with the
     * outcome. The engine refuses to activate a next key that relying parties may not have fetched yet; the page
     * then says when the rotation becomes possible.
     */
    @RequirePOST
    public void doRotateKeys(@QueryParameter String issuer, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        if (engine == null || issuer == null || engine.config().issuer(issuer).isEmpty()) {
            rsp.sendError(HttpServletResponse.SC_NOT_FOUND, "No such issuer");
            return;
        }
        rsp.sendRedirect("./?" + rotate(engine, issuer));
    }

    /** Rotates, and says what happened as the query of this page: {@code rotated=ID} or {@code notRotated=ID&possibleAt=T}. */
    static String rotate(RunIdentityEngine engine, String issuerId) {
        KeyRotation rotation = engine.rotateKeys(issuerId);
        String id = URLEncoder.encode(issuerId, StandardCharsets.UTF_8);
        if (rotation.rotated()) {
            return "rotated=" + id;
        }
        Instant earliest = rotation.earliest();
        return "notRotated=" + id + (earliest == null ? "" : "&possibleAt=" + URLEncoder.encode(earliest.toString(), StandardCharsets.UTF_8));
    }

    /** {@code id} if it names a configured issuer, else null: what the page may repeat from its query. */
    @CheckForNull
    public String configuredIssuer(@CheckForNull String id) {
        RunIdentityEngine engine = id == null ? null : RunIdentityConfiguration.get().engineIfConfigured();
        return engine != null && engine.config().issuer(id).isPresent() ? id : null;
    }

    /** {@code text} if it is an ISO-8601 instant, else a question mark: what the page may repeat from its query. */
    @NonNull
    public String instant(@CheckForNull String text) {
        try {
            return text == null ? "?" : Instant.parse(text).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return "?";
        }
    }

    /** One issuer and its keys, for the view. */
    public static final class IssuerKeys {
        private final String id;
        private final String url;
        private final List<KeyRow> keys;

        IssuerKeys(String id, String url, List<KeyRow> keys) {
            this.id = id;
            this.url = url;
            this.keys = keys;
        }

        public String getId() {
            return id;
        }

        public String getUrl() {
            return url;
        }

        public List<KeyRow> getKeys() {
            return keys;
        }
    }

    /** What people may know about a key: never the key itself, public or private. */
    public static final class KeyRow {
        private final RunIdentityEngine.KeyInfo key;

        KeyRow(RunIdentityEngine.KeyInfo key) {
            this.key = key;
        }

        public String getKid() {
            return key.kid();
        }

        /** {@code NEXT} (published, not signing yet), {@code ACTIVE} (signing) or {@code RETIRED} (published until its tokens expire). */
        public String getState() {
            return key.state().name();
        }

        public String getAlgorithm() {
            return key.algorithm().name();
        }

        public String getCreated() {
            return text(key.created());
        }

        public String getActivated() {
            return text(key.activated());
        }

        public String getRetired() {
            return text(key.retired());
        }

        private static String text(Instant t) {
            return t == null ? "" : t.toString();
        }
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
