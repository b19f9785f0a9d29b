package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.Test;

/** The compact registry answers exactly as a map of revoked ids would. */
public class RevocationRegistryTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String engineId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    public void remembersEveryRevokedIdAcrossGrowthAndNoOther() {
        RevocationRegistry r = new RevocationRegistry();
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String id = engineId();
            revoked.add(id);
            r.revoke(id, 2_000_000_000L);
        }
        assertThat(r.size()).isEqualTo(50_000);
        assertThat(revoked).allMatch(r::isRevoked);
        for (int i = 0; i < 50_000; i++) {
            assertThat(r.isRevoked(engineId())).isFalse();
        }
    }

    @Test
    public void revokingTwiceKeepsOneEntry() {
        RevocationRegistry r = new RevocationRegistry();
        String id = engineId();
        r.revoke(id, 100);
        r.revoke(id, 2_000_000_000L);
        assertThat(r.size()).isEqualTo(1);
        r.prune(Instant.ofEpochSecond(1_000_000), 0);
        assertThat(r.isRevoked(id)).as("the later expiry counts").isTrue();
    }

    @Test
    public void idsOfOtherShapesAreKeptExactly() {
        RevocationRegistry r = new RevocationRegistry();
        // 22 characters whose last one carries bits beyond the 128: not an id this engine makes.
        String nonCanonical = "AAAAAAAAAAAAAAAAAAAAAB";
        List<String> odd = List.of("", "short", "has space and is longer than twenty-two", "AAAAAAAAAAAAAAAAAAAA+/",
                nonCanonical, "x".repeat(100));
        for (String id : odd) {
            r.revoke(id, 2_000_000_000L);
        }
        assertThat(odd).allMatch(r::isRevoked);
        assertThat(r.isRevoked("AAAAAAAAAAAAAAAAAAAAAA")).as("differs from the non-canonical one").isFalse();
        r.revoke("AAAAAAAAAAAAAAAAAAAAAA", 2_000_000_000L);
        assertThat(r.isRevoked("AAAAAAAAAAAAAAAAAAAAAA")).isTrue();
        assertThat(r.size()).isEqualTo(odd.size() + 1);
        assertThat(r.isRevoked(null)).isFalse();
    }

    @Test
    public void pruneForgetsOnlyWhatExpiredBeforeTheGrace() {
        RevocationRegistry r = new RevocationRegistry();
        List<String> early = new ArrayList<>(), late = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String a = engineId(), b = engineId();
            early.add(a);
            late.add(b);
            r.revoke(a, 1_000);
            r.revoke(b, 5_000);
        }
        r.revoke("odd-early", 1_000);
        r.revoke("odd-late", 5_000);
        r.prune(Instant.ofEpochSecond(1_200), 300);
        assertThat(r.size()).as("1000 is not before 1200 - 300").isEqualTo(20_002);
        r.prune(Instant.ofEpochSecond(2_000), 300);
        assertThat(r.size()).isEqualTo(10_001);
        assertThat(early).noneMatch(r::isRevoked);
        assertThat(late).allMatch(r::isRevoked);
        assertThat(r.isRevoked("odd-early")).isFalse();
        assertThat(r.isRevoked("odd-late")).isTrue();
        String more = engineId();
        r.revoke(more, 9_000);
        assertThat(r.isRevoked(more)).isTrue();
    }

    @Test
    public void concurrentReadersNeverMissAnIdRevokedBeforeTheyLooked() throws Exception {
        RevocationRegistry r = new RevocationRegistry();
        String[] ids = new String[200_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = engineId();
        }
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> missed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (published.get() < ids.length && missed.get() == null) {
                int upTo = published.get();
                for (int i = Math.max(0, upTo - 64); i < upTo; i++) {
                    if (!r.isRevoked(ids[i])) {
                        missed.set(ids[i]);
                    }
                }
            }
        });
        reader.start();
        for (int i = 0; i < ids.length; i++) {
            r.revoke(ids[i], 2_000_000_000L);
            published.set(i + 1);
        }
        reader.join();
        assertThat(missed.get()).isNull();
    }
}
