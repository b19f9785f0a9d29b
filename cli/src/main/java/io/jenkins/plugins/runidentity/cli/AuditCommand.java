package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.AuditChain;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import io.jenkins.plugins.runidentity.core.AuditVerification;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "Shows or verifies the hash-chained audit log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class})
final class AuditCommand {
    @ParentCommand RunIdentityCommand parent;

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verifies every record's hash and its link to the one before; names the first bad record. Exit 1 if broken.",
                "Prints an anchor, N:HASH. Someone who can rewrite the state folder can also cut records off the end of",
                "the log or recompute the whole chain; keep anchors where this host cannot change them and pass them back",
                "with --anchor to detect that."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand AuditCommand audit;
        @Spec CommandSpec spec;

        @Option(names = "--anchor", paramLabel = "N:HASH", description = "Also require record N to have HASH (repeatable).")
        List<String> anchors = List.of();

        @Override
        public Integer call() {
            // Verification must work on a damaged log, so it does not start the engine (which refuses one).
            StateHome home = audit.parent.state();
            home.readConfig();
            AuditVerification v;
            try (FileStateStore store = FileStateStore.open(home.dir(), Clock.systemUTC())) {
                AuditChain.Checker checker = new AuditChain.Checker();
                for (String a : anchors) {
                    int colon = a.indexOf(':');
                    long line;
                    try {
                        line = Long.parseLong(a.substring(0, Math.max(colon, 0)));
                    } catch (NumberFormatException e) {
                        line = 0;
                    }
                    if (line < 1 || !a.substring(colon + 1).matches("[0-9a-f]{64}")) {
                        throw new UsageError("--anchor: '" + a + "' is not N:HASH as 'audit verify' prints it");
                    }
                    checker.anchor(line, a.substring(colon + 1));
                }
                store.audit().scan(checker::accept);
                v = checker.result();
            }
            (v.intact() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(v.describe());
            return v.intact() ? 0 : 1;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Lists audit records, oldest first.")
    static final class Show implements Callable<Integer> {
        @ParentCommand AuditCommand audit;
        @Spec CommandSpec spec;

        @Option(names = "--job", paramLabel = "NAME", description = "Only records of this job.")
        String job;

        @Option(names = "--event", paramLabel = "TYPE", description = "Only this event type (minted, revoked, denied, ...).")
        String event;

        @Option(names = "--json", description = "Print the stored JSON lines.")
        boolean json;

        @Override
        public Integer call() {
            try (RunIdentityEngine engine = audit.parent.state().open(Clock.systemUTC())) {
                List<AuditRecord> records = engine.auditRecords(r -> (job == null || job.equals(r.string("job")))
                        && (event == null || event.equals(r.type())));
                PrintWriter out = spec.commandLine().getOut();
                for (AuditRecord r : records) {
                    out.println(json ? r.line() : describe(r));
                }
                out.flush();
            }
            return 0;
        }

        static String describe(AuditRecord r) {
            StringBuilder s = new StringBuilder();
            s.append(r.time()).append("  ").append(String.format("%-14s", r.type()));
            String job = r.string("job");
            if (job != null) {
                s.append(' ').append(printable(job));
                if (r.number("build") > 0) {
                    s.append('#').append(r.number("build"));
                }
            }
            for (String k : new String[] {"issuer", "template", "jti", "sub", "reason", "kid"}) {
                String v = r.string(k);
                if (v != null && !v.isEmpty()) {
                    s.append("  ").append(k).append('=').append(printable(v));
                }
            }
            if (r.number("exp") > 0 && "minted".equals(r.type())) {
                s.append("  exp=").append(java.time.Instant.ofEpochSecond(r.number("exp")));
            }
            return s.toString();
        }

        /** One record, one line: nothing a job name holds may start another, drive the terminal or reorder the line. */
        private static String printable(String v) {
            return v.replaceAll("[\\p{Cc}\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]", "?");
        }
    }
}
