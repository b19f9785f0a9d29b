package io.jenkins.plugins.runidentity.bench;

import io.jenkins.plugins.runidentity.core.AuditEvent;
import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.Session;
import io.jenkins.plugins.runidentity.core.VerifiedToken;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Introspection as the engine does it: catch up with the log, parse, check header, signature (key looked up in the
 * issuer's ring), issuer, times, and the revocation registry — here holding {@value #REVOKED} revoked tokens.
 * Compare with {@link CryptoFloorBench#rawVerify()}.
 */
public class VerifyBench extends EngineFixture {
    static final int REVOKED = 100_000;

    private String valid;
    private String revoked;

    /** Revocations written straight to the log, as earlier runs would have left them. */
    @Override
    protected void beforeStart() {
        try (FileStateStore store = FileStateStore.open(dir, Clock.systemUTC())) {
            long exp = Instant.now().plusSeconds(3600).getEpochSecond();
            for (int batch = 0; batch < REVOKED / 1000; batch++) {
                store.audit().append(() -> {
                    List<AuditEvent> events = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        events.add(AuditEvent.of(AuditEvent.REVOKED, Instant.now()).put("issuer", "rs")
                                .put("session", BenchSupport.randomId(12)).put("jti", BenchSupport.randomId(16))
                                .put("job", "payments/deploy").put("build", 1L).put("exp", exp).put("reason", "block-completed").build());
                    }
                    return events;
                });
            }
        }
    }

    @Override
    protected void afterStart() {
        valid = engine.openSession(request, facts, "bench").token().revealSerialized();
        Session closed = engine.openSession(request, facts, "bench");
        engine.closeSession(closed.id(), CloseReason.BLOCK_COMPLETED);
        revoked = closed.token().revealSerialized();
        if (engine.introspect(issuer(), valid).isEmpty() || engine.introspect(issuer(), revoked).isPresent()) {
            throw new IllegalStateException("set-up tokens are not what they should be");
        }
    }

    /** A valid token: every check runs, and the registry is consulted and says no. */
    @Benchmark
    public Optional<VerifiedToken> coreIntrospectValid() {
        return engine.introspect(issuer(), valid);
    }

    /** A revoked token: every check runs, and the registry says yes. */
    @Benchmark
    public Optional<VerifiedToken> coreIntrospectRevoked() {
        return engine.introspect(issuer(), revoked);
    }
}
