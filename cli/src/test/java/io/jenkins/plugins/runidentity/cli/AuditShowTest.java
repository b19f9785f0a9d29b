package io.jenkins.plugins.runidentity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.core.AuditChain;
import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.AuditRecord;
import java.time.Instant;
import org.junit.Test;

/** What {@code audit show} prints for people: one line per record, nothing that drives a terminal or reorders a line. */
public class AuditShowTest {
    @Test
    public void controlAndBidiCharactersAreNeverPrintedRaw() {
        String hostile = "team/x\u202eevil\u2066\u200f\u061c\u009b31m\u001b[0m\nnext\u2028line\u0085";
        AuditRecord r = AuditChain.seal(null, AuditEvent.of(AuditEvent.DENIED, Instant.EPOCH).put("job", hostile)
                .put("template", hostile).put("reason", hostile).build());
        String shown = AuditCommand.Show.describe(r);
        assertThat(shown.lines()).hasSize(1);
        assertThat(shown.chars()).as(shown).noneMatch(c -> Character.getType(c) == Character.CONTROL
                || c == 0x2028 || c == 0x2029 || c == 0x061c || c == 0x200e || c == 0x200f
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
        assertThat(shown).contains("team/x?evil???");
    }
}
