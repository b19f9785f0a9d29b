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

    private static AuditVerification verifyAnchored(List<String> lines, String anchor) {
        String[] a = anchor.split(":");
        AuditChain.Checker c = new AuditChain.Checker().anchor(Long.parseLong(a[0]), a[1]);
        for (String line : lines) {
            if (!c.accept(line)) {
                break;
            }
        }
        return c.result();
    }

    /**
     * Whoever can rewrite the log can cut records off its end or recompute the whole chain: both verify on their own.
     * An anchor kept from an earlier verification catches both.
     */
    @Test
    public void anAnchorCatchesACutTailAndARecomputedChain() {
        List<String> lines = chain(6);
        String anchor = AuditChain.verify(lines.subList(0, 5).iterator()).anchor();
        assertThat(anchor).startsWith("5:");
        assertThat(verifyAnchored(lines, anchor).intact()).as("the log grew after the anchor was taken").isTrue();

        List<String> cut = lines.subList(0, 4);
        assertThat(AuditChain.verify(cut.iterator()).intact()).as("without an anchor a cut is invisible").isTrue();
        AuditVerification cutAnchored = verifyAnchored(cut, anchor);
        assertThat(cutAnchored.intact()).isFalse();
        assertThat(cutAnchored.describe()).contains("the log ends after 4 records, before anchored record 5");

        List<String> rewritten = new ArrayList<>();
        AuditRecord prev = null;
        for (int i = 0; i < 6; i++) { // the same records, but build 3 was dropped and everything after it resealed
            if (i == 2) {
                continue;
            }
            prev = AuditChain.seal(prev, AuditEvent.of("minted", Instant.ofEpochSecond(1_800_000_000L + i))
                    .put("jti", "id-" + i).put("job", "team/app").put("build", i + 1).put("aud", List.of("a", "b")).build());
            rewritten.add(prev.line());
        }
        rewritten.add(AuditChain.seal(prev, AuditEvent.of("minted", Instant.ofEpochSecond(1_900_000_000L)).build()).line());
        assertThat(AuditChain.verify(rewritten.iterator()).intact()).as("a recomputed chain verifies on its own").isTrue();
        AuditVerification rewrittenAnchored = verifyAnchored(rewritten, anchor);
        assertThat(rewrittenAnchored.intact()).isFalse();
        assertThat(rewrittenAnchored.badLine()).isEqualTo(5);
        assertThat(rewrittenAnchored.describe()).contains("does not have the anchored hash");
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
