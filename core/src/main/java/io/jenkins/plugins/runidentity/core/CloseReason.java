package io.jenkins.plugins.runidentity.core;

/** Why a session was closed and its tokens revoked. The code is what the audit log and relying parties see. */
public enum CloseReason {
    /** The block or command ended normally. */
    BLOCK_COMPLETED("block-completed"),
    /** The block or command failed (non-zero exit, exception). */
    BLOCK_FAILED("block-failed"),
    /** The run was stopped (abort, SIGINT, SIGTERM). */
    ABORTED("aborted"),
    /** The run reached its time limit and was stopped. */
    TIMED_OUT("timed-out"),
    /** The run finished while the session was still open. */
    RUN_FINISHED("run-finished"),
    /** The process that owned the session died without closing it (e.g. SIGKILL). */
    ORPHANED("orphaned"),
    /** The controller restarted and the session's run is no longer building. */
    ORPHANED_AFTER_RESTART("orphaned-after-restart"),
    /** Closed after its tokens had all expired. */
    EXPIRED("expired"),
    /** The holder revoked the token at the revocation endpoint. */
    REVOKED_BY_HOLDER("revoked-by-holder"),
    /** An administrator revoked it. */
    REVOKED_BY_ADMIN("revoked-by-admin"),
    /** A downstream exchange failed, so the session never started. */
    EXCHANGE_FAILED("exchange-failed"),
    /** A single-use client assertion was presented to a downstream; it must never be presented again. */
    ASSERTION_PRESENTED("assertion-presented");

    private final String code;

    CloseReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
