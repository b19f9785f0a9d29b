package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Inflater;
import org.junit.Test;

/** Token Status List (draft-ietf-oauth-status-list-20) as the issuer serves it. */
public class StatusListTest extends EngineFixture {
    private static final String BASE = "/run-identity/corp";

    private EndpointResponse get(String path) {
        return engine.endpoints().handle(new EndpointRequest("GET", path, null, null, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statusOf(Session s) throws Exception {
        Map<String, Object> status = (Map<String, Object>) SignedJWT.parse(s.token().revealSerialized()).getJWTClaimsSet().getClaim("status");
        return (Map<String, Object>) status.get("status_list");
    }

    private Session mint() {
        return engine.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "test");
    }

    // The draft's own examples (§4.1): statuses of 16 tokens with bits=1, and of 12 tokens with bits=2, and their
    // compressed forms. Decoding them checks our bit order and our ZLIB handling against the specification.
    private static final Object[][] DRAFT_VECTORS = {
            {1, "78dadbb918000217015d", new int[] {1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1}},
            {2, "78da3be9f2130003df0207", new int[] {1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3}},
    };

    @Test
    public void decodingFollowsTheDraftsExamples() {
        for (Object[] v : DRAFT_VECTORS) {
            int bits = (int) v[0];
            String lst = Base64URL.encode(HexFormat.of().parseHex((String) v[1])).toString();
            int[] expected = (int[]) v[2];
            for (int i = 0; i < expected.length; i++) {
                assertThat(StatusList.valueAt(lst, bits, i)).as("bits=%s index %s", bits, i).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    public void encodingPacksFromTheLeastSignificantBitAndUsesZlib() throws Exception {
        BitSet set = new BitSet();
        for (int i : new int[] {0, 3, 4, 5, 7, 8, 9, 13, 15}) {
            set.set(i);
        }
        String lst = StatusList.encode(set, 16);
        assertThat(inflate(new Base64URL(lst).decode())).containsExactly(0xB9, 0xA3); // the draft's byte values
        for (int i = 0; i < 16; i++) {
            assertThat(StatusList.valueAt(lst, 1, i)).isEqualTo(set.get(i) ? 1 : 0);
        }
    }

    @Test
    public void badListsAndIndicesAreRefused() {
        String sixteen = StatusList.encode(new BitSet(), 16);
        Object[][] table = {
                {sixteen, 1, 16L, "outside the status list of 16 entries"},
                {sixteen, 3, 0L, "bits must be 1, 2, 4 or 8"},
                {sixteen, 1, -1L, "cannot be negative"},
                {Base64URL.encode(new byte[] {1, 2, 3}).toString(), 1, 0L, "not ZLIB/DEFLATE"},
        };
        for (Object[] row : table) {
            assertThatThrownBy(() -> StatusList.valueAt((String) row[0], (int) row[1], (long) row[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining((String) row[3]);
        }
    }

    @Test
    public void everyTokenCarriesItsOwnIndexAndTheListUri() throws Exception {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> ref = statusOf(mint());
            assertThat(ref.get("uri")).isEqualTo(Fixtures.ISSUER_URL + "/status/1");
            assertThat(ref.get("idx")).isInstanceOf(Long.class);
            seen.add((Long) ref.get("idx"));
        }
        assertThat(seen).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
        assertThat(engine.auditRecords(r -> r.type().equals("minted"))).extracting(r -> r.number("status_idx"))
                .containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    public void theEndpointServesASignedListInWhichRevocationFlipsTheBit() throws Exception {
        Session a = mint(), b = mint(), c = mint();
        engine.closeSession(b.id(), CloseReason.BLOCK_COMPLETED);
        EndpointResponse r = get(BASE + "/status/1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/statuslist+jwt")
                .containsEntry("Cache-Control", "public, max-age=60");
        SignedJWT jwt = SignedJWT.parse(r.bodyText());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("statuslist+jwt");
        RSAKey key = engine.publishedKeys("corp").getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        Map<String, Object> claims = jwt.getJWTClaimsSet().toJSONObject();
        assertThat(claims.get("sub")).isEqualTo(Fixtures.ISSUER_URL + "/status/1").isEqualTo(statusOf(a).get("uri"));
        assertThat(claims.get("iss")).isEqualTo(Fixtures.ISSUER_URL);
        long iat = (Long) claims.get("iat");
        assertThat((Long) claims.get("exp") - iat).isEqualTo(300);
        assertThat(claims.get("ttl")).isEqualTo(60L);
        @SuppressWarnings("unchecked")
        Map<String, Object> list = (Map<String, Object>) claims.get("status_list");
        assertThat(list.get("bits")).isEqualTo(1L);
        String lst = (String) list.get("lst");
        assertThat(StatusList.valueAt(lst, 1, (Long) statusOf(a).get("idx"))).isZero();
        assertThat(StatusList.valueAt(lst, 1, (Long) statusOf(b).get("idx"))).isEqualTo(1);
        assertThat(StatusList.valueAt(lst, 1, (Long) statusOf(c).get("idx"))).isZero();
        assertThat(StatusList.valueAt(lst, 1, StatusList.CAPACITY - 1)).as("served at full size").isZero();
        // a revocation shows at once, without waiting for the signed list to age
        engine.revokeByHolder("corp", c.token().revealSerialized());
        String after = (String) ((Map<?, ?>) SignedJWT.parse(get(BASE + "/status/1").bodyText()).getJWTClaimsSet()
                .getClaim("status_list")).get("lst");
        assertThat(StatusList.valueAt(after, 1, (Long) statusOf(c).get("idx"))).isEqualTo(1);
    }

    @Test
    public void unknownListsAndMethodsGetPreciseErrors() {
        Object[][] table = {
                {"GET", BASE + "/status/2", 404}, {"GET", BASE + "/status/0", 404}, {"GET", BASE + "/status/01", 404},
                {"GET", BASE + "/status/x", 404}, {"GET", BASE + "/status/", 404}, {"POST", BASE + "/status/1", 405},
                {"HEAD", BASE + "/status/1", 200},
        };
        for (Object[] row : table) {
            EndpointResponse r = engine.endpoints().handle(new EndpointRequest((String) row[0], (String) row[1], null, null, null));
            assertThat(r.status()).as("%s %s", row[0], row[1]).isEqualTo(row[2]);
            if (r.status() != 200) {
                assertThat(r.bodyText()).contains("\"error\"").doesNotContain("Exception");
            }
        }
    }

    @Test
    public void indicesAreUniqueAcrossProcessesSharingTheState() throws Exception {
        RunIdentityEngine other = Fixtures.engine(dir, clock);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Session>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                RunIdentityEngine e = i % 2 == 0 ? engine : other;
                futures.add(pool.submit(() -> e.openSession(MintRequest.of("corp", "default"), Fixtures.run("a", 1), "t")));
            }
            Set<Long> indices = new HashSet<>();
            for (Future<Session> f : futures) {
                indices.add((Long) statusOf(f.get()).get("idx"));
            }
            pool.shutdown();
            assertThat(indices).hasSize(30);
        } finally {
            other.close();
        }
    }

    @Test
    public void aFullListContinuesInTheNextOne() {
        SessionLedger ledger = new SessionLedger();
        AuditRecord minted = AuditChain.seal(null, AuditEvent.of(AuditEvent.MINTED, clock.instant()).put("issuer", "corp")
                .put("jti", "j").put("session", "s").put("exp", 1L).put("job", "a").put("build", 1L)
                .put("status_list", 1L).put("status_idx", StatusList.CAPACITY - 1).build());
        assertThat(ledger.nextStatusSlot("corp")).containsExactly(1L, 0L);
        ledger.apply(minted);
        assertThat(ledger.nextStatusSlot("corp")).containsExactly(2L, 0L);
        assertThat(ledger.nextStatusSlot("edge")).containsExactly(1L, 0L);
    }

    private static int[] inflate(byte[] z) throws Exception {
        Inflater inf = new Inflater();
        inf.setInput(z);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        while (!inf.finished()) {
            out.write(buf, 0, inf.inflate(buf));
        }
        assertThat(z[0] & 0xff).as("ZLIB header (CMF)").isEqualTo(0x78);
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1).chars().toArray();
    }
}
