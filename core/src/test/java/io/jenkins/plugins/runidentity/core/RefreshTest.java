package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

/** A session's token is replaced by fresh ones; closing the session revokes every one of them. */
public class RefreshTest extends EngineFixture {

    private Session open() {
        return engine.openSession(MintRequest.of("corp", "deploy").withAudience("vault").withTtl("1m"),
                Fixtures.run("payments/api", 3), "owner-1");
    }

    @Test
    public void aRefreshMintsANewTokenInTheSameSessionWithTheSameGrant() {
        Session first = open();
        clock.advance(Duration.ofSeconds(48)); // 80 % of the lifetime
        Session second = engine.refresh(first.id());
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.token().jti()).isNotEqualTo(first.token().jti());
        assertThat(second.token().audience()).containsExactly("vault");
        assertThat(second.token().expiresAt()).isEqualTo(second.token().issuedAt().plusSeconds(60));
        assertThat(second.token().issuedAt()).isAfter(first.token().issuedAt());
        VerifiedToken v = engine.introspect("corp", second.token().revealSerialized()).orElseThrow();
        assertThat(v.claims().get(Claims.SESSION)).isEqualTo(first.id());
        assertThat(engine.introspect("corp", first.token().revealSerialized())).as("the earlier token lives on").isPresent();

        List<AuditRecord> refreshed = engine.auditRecords(r -> r.type().equals(AuditEvent.REFRESHED));
        assertThat(refreshed).hasSize(1);
        assertThat(refreshed.get(0).string("session")).isEqualTo(first.id());
        assertThat(refreshed.get(0).string("jti")).isEqualTo(second.token().jti());
        assertThat(refreshed.get(0).string("replaces")).isEqualTo(first.token().jti());
        List<AuditRecord> minted = engine.auditRecords(r -> r.type().equals(AuditEvent.MINTED));
        assertThat(minted).extracting(r -> r.string("session")).containsOnly(first.id());
        assertThat(minted.get(1).string("refreshes")).isEqualTo(first.token().jti());
        assertThat(minted.get(1).number("status_idx")).isNotEqualTo(minted.get(0).number("status_idx"));
    }

    @Test
    public void closingTheSessionRevokesEveryTokenItEverHad() {
        Session s = open();
        Session r1 = engine.refresh(s.id());
        Session r2 = engine.refresh(s.id());
        assertThat(engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED)).isEqualTo(3);
        for (Session t : List.of(s, r1, r2)) {
            assertThat(engine.introspect("corp", t.token().revealSerialized())).isEmpty();
        }
        assertThat(engine.identitiesOf("payments/api", 3)).hasSize(3).allMatch(i -> "block-completed".equals(i.reason()));
    }

    @Test
    public void aClosedOrForeignSessionCannotBeRefreshed() {
        Session s = open();
        engine.closeSession(s.id(), CloseReason.ABORTED);
        Object[][] table = {
                {(Runnable) () -> engine.refresh(s.id()), "was not opened by this process or is already closed"},
                {(Runnable) () -> engine.refresh(s), "is closed (its tokens were revoked) and cannot be refreshed"},
                {(Runnable) () -> engine.refresh("no-such-session"), "was not opened by this process"},
        };
        for (Object[] row : table) {
            assertThatThrownBy(((Runnable) row[0])::run).isInstanceOf(RunIdentityException.class).hasMessageContaining((String) row[1]);
        }
        assertThat(engine.auditRecords(r -> r.type().equals(AuditEvent.MINTED))).hasSize(1);
    }

    @Test
    public void anotherProcessMayRefreshASessionItWasHandedButNotOneOfAnotherRun() {
        Session s = open();
        try (RunIdentityEngine other = Fixtures.engine(dir, clock)) {
            assertThatThrownBy(() -> other.refresh(s.id())).hasMessageContaining("not opened by this process");
            Session fresh = other.refresh(s);
            assertThat(fresh.id()).isEqualTo(s.id());
            Session forged = new Session(s.id(), s.issuerId(), s.template(), Fixtures.run("payments/api", 4), null, s.request());
            assertThatThrownBy(() -> other.refresh(forged)).hasMessageContaining("belongs to issuer 'corp' and run 'payments/api#3'");
        }
        assertThat(engine.closeSession(s.id(), CloseReason.BLOCK_COMPLETED)).isEqualTo(2);
    }

    @Test
    public void aRefreshIsDecidedAgainstTheCurrentPolicy() {
        Session s = open();
        EngineConfig narrowed = new EngineConfig(Fixtures.config().issuers(), List.of(ScopeTemplate.builder("deploy")
                .audiences("vault").allowedJobs("other/**").issuers("corp").build()));
        try (RunIdentityEngine restarted = Fixtures.engine(narrowed, dir, clock)) {
            assertThatThrownBy(() -> restarted.refresh(s)).isInstanceOf(RequestDeniedException.class)
                    .hasMessageContaining("may not use template 'deploy'");
            assertThat(restarted.auditRecords(r -> r.type().equals(AuditEvent.DENIED))).hasSize(1);
        }
    }
}
