package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.Test;

public class AuditChainTest {

    private static List<String> chain(int n) {
        List<String> lines = new ArrayList<>();
        AuditRecord prev = null;
        for (int i = 0; i < n; i++) {
            prev = AuditChain.seal(prev, AuditEvent.of("minted", Instant.ofEpochSecond(1_800_000_000L + i))
                    .put("jti", "id-" + i).put("job", "team/app").put("build", i + 1).put("aud", List.of("a", "b")).build());
            lines.add(prev.line());
        }
        return lines;
    }

    @Test
    public void anIntactChainVerifies() {
        AuditVerification v = AuditChain.verify(chain(10).iterator());
        assertThat(v.intact()).isTrue();
        assertThat(v.goodRecords()).isEqualTo(10);
        assertThat(AuditChain.verify(List.<String>of().iterator()).intact()).isTrue();
    }

    @Test
    public void everySingleByteChangeIsCaughtAtThatRecord() {
        List<String> lines = chain(6);
        int target = 3; // 0-based: line 4
        byte[] bytes = lines.get(target).getBytes(StandardCharsets.UTF_8);
        int caught = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] = (byte) (changed[i] == 'x' ? 'y' : 'x');
            List<String> tampered = new ArrayList<>(lines);
            tampered.set(target, new String(changed, StandardCharsets.UTF_8));
            AuditVerification v = AuditChain.verify(tampered.iterator());
            assertThat(v.intact()).as("byte %d", i).isFalse();
            assertThat(v.badLine()).as("byte %d", i).isEqualTo(target + 1);
            caught++;
        }
        assertThat(caught).isEqualTo(bytes.length);
    }

    @Test
    public void aRemovedRecordIsNamed() {
        List<String> lines = chain(6);
        lines.remove(2);
        AuditVerification v = AuditChain.verify(lines.iterator());
        assertThat(v.badLine()).isEqualTo(3);
        assertThat(v.problem()).contains("seq 4 where 3 was expected");
        assertThat(v.describe()).startsWith("audit log broken at line 3:");
    }

    @Test
    public void swappedRecordsAreNamed() {
        List<String> lines = chain(6);
        Collections.swap(lines, 1, 2);
        AuditVerification v = AuditChain.verify(lines.iterator());
        assertThat(v.badLine()).isEqualTo(2);
    }

    @Test
    public void aForgedRecordWithAFreshHashIsStillCaughtByTheNextLink() {
        List<String> lines = chain(4);
        AuditRecord before = AuditRecord.parse(lines.get(0));
        AuditRecord forged = AuditChain.seal(before, AuditEvent.of("minted", Instant.ofEpochSecond(1)).put("jti", "evil").build());
        lines.set(1, forged.line());
        AuditVerification v = AuditChain.verify(lines.iterator());
        assertThat(v.badLine()).isEqualTo(3);
        assertThat(v.problem()).contains("prev does not match");
    }
}
