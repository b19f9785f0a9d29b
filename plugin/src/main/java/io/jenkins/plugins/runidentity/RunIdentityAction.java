package io.jenkins.plugins.runidentity;

import hudson.model.Run;
import io.jenkins.plugins.runidentity.core.IdentityRecord;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.time.Instant;
import java.util.List;
import jenkins.model.RunAction2;

/**
 * The build page's "Run identities": every identity minted in this run, read from the audit log, never a
 * token. The action itself stores nothing but its presence in {@code build.xml}.
 */
public final class RunIdentityAction implements RunAction2 {

    private transient Run<?, ?> run;

    /** Adds the action to a run once, however many identities the run mints. */
    static void attachTo(Run<?, ?> run) {
        synchronized (run) {
            if (run.getAction(RunIdentityAction.class) == null) {
                run.addAction(new RunIdentityAction());
            }
        }
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-id-card";
    }

    @Override
    public String getDisplayName() {
        return "Run identities";
    }

    @Override
    public String getUrlName() {
        return "run-identity";
    }

    /** This run's identities, oldest first; empty when Run Identity is not configured any more. */
    public List<IdentityView> getIdentities() {
        RunIdentityEngine engine = RunIdentityConfiguration.get().engineIfConfigured();
        if (engine == null || run == null) {
            return List.of();
        }
        Instant now = Instant.now();
        return engine.identitiesOf(run.getParent().getFullName(), run.getNumber()).stream()
                .map(r -> new IdentityView(r, now))
                .toList();
    }

    /** One identity for a view: plain getters for Jelly. */
    public static final class IdentityView {
        private final IdentityRecord record;
        private final String status;

        IdentityView(IdentityRecord record, Instant now) {
            this.record = record;
            this.status = record.status(now);
        }

        public String getJti() {
            return record.jti();
        }

        public String getIssuer() {
            return record.issuer();
        }

        public String getTemplate() {
            return record.template();
        }

        public String getSubject() {
            return record.subject();
        }

        public String getAudience() {
            return String.join(" ", record.audience());
        }

        public String getScope() {
            return record.scope() == null ? "" : record.scope();
        }

        public String getIssuedAt() {
            return record.issuedAt().toString();
        }

        public String getExpiresAt() {
            return record.expiresAt().toString();
        }

        public String getRevokedAt() {
            return record.revokedAt() == null ? "" : record.revokedAt().toString();
        }

        public String getReason() {
            return record.reason() == null ? "" : record.reason();
        }

        public String getStatus() {
            return status;
        }
    }
}
