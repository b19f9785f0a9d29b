package io.jenkins.plugins.runidentity.core;

/**
 * The outcome of verifying an audit log.
 *
 * @param intact       whether every record verified
 * @param goodRecords  records that verified before the first bad one (all of them when intact)
 * @param badLine      the 1-based line of the first bad record, or 0 when intact
 * @param problem      what is wrong with that line, or null
 * @param headHash     the hash of the last good record, to anchor the chain elsewhere
 */
public record AuditVerification(boolean intact, long goodRecords, long badLine, String problem, String headHash) {

    static AuditVerification intact(long records, String head) {
        return new AuditVerification(true, records, 0, null, head);
    }

    static AuditVerification broken(long good, long line, String problem) {
        return new AuditVerification(false, good, line, problem, null);
    }

    /** The head as an anchor, {@code <records>:<hash>}, for {@code audit verify --anchor}; null when broken. */
    public String anchor() {
        return intact ? goodRecords + ":" + headHash : null;
    }

    /** One line for people. */
    public String describe() {
        return intact ? "audit log intact: " + goodRecords + " records, anchor " + anchor()
                : "audit log broken at line " + badLine + ": " + problem + " (" + goodRecords + " records before it verified)";
    }
}
