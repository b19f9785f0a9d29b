package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.runidentity.RunDeadline.EnclosingStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** Which deadline the enclosing steps set, from their recorded arguments and start times. */
public class RunDeadlineTest {

    private static final Instant START = Instant.parse("2026-12-03T16:00:00Z");

    private static EnclosingStep timeout(Object... keyValues) {
        return step("timeout", START, keyValues);
    }

    private static EnclosingStep step(String function, Instant start, Object... keyValues) {
        Map<String, Object> args = new HashMap<>(); // allows null values, as recorded arguments may have
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new EnclosingStep(function, args, start.toEpochMilli());
    }

    @Test
    public void everyUnitTheTimeoutStepAccepts() {
        Object[][] cases = {
            {2, "NANOSECONDS", Duration.ofNanos(2)},
            {2, "MICROSECONDS", Duration.ofNanos(2_000)},
            {1500, "MILLISECONDS", Duration.ofMillis(1500)},
            {90, "SECONDS", Duration.ofSeconds(90)},
            {2, "MINUTES", Duration.ofMinutes(2)},
            {3, "HOURS", Duration.ofHours(3)},
            {2, "DAYS", Duration.ofDays(2)},
            {2, TimeUnit.HOURS, Duration.ofHours(2)},
            {5, null, Duration.ofMinutes(5)}, // recorded as absent: TimeoutStep's default, MINUTES
        };
        for (Object[] c : cases) {
            EnclosingStep step = c[1] == null ? timeout("time", c[0]) : timeout("time", c[0], "unit", c[1]);
            assertThat(RunDeadline.deadlineOf(step)).as("%s %s", c[0], c[1]).isEqualTo(START.plus((Duration) c[2]));
        }
    }

    @Test
    public void timeRecordedAsTextOrLongCounts() {
        assertThat(RunDeadline.deadlineOf(timeout("time", "10", "unit", "SECONDS"))).isEqualTo(START.plusSeconds(10));
        assertThat(RunDeadline.deadlineOf(timeout("time", 10L, "unit", "SECONDS"))).isEqualTo(START.plusSeconds(10));
        assertThat(RunDeadline.deadlineOf(timeout("time", 0, "unit", "SECONDS"))).isEqualTo(START);
    }

    @Test
    public void activityTimeoutsAreNoDeadline() {
        assertThat(RunDeadline.deadlineOf(timeout("time", 2, "unit", "MINUTES", "activity", true))).isNull();
        assertThat(RunDeadline.deadlineOf(timeout("time", 2, "unit", "MINUTES", "activity", "true"))).isNull();
        assertThat(RunDeadline.deadlineOf(timeout("time", 2, "unit", "MINUTES", "activity", false)))
                .isEqualTo(START.plus(Duration.ofMinutes(2)));
    }

    @Test
    public void argumentsThatCannotBeReadGiveNoDeadline() {
        Object notStored = new Object() {
            @Override
            public String toString() {
                return "OVERSIZE_VALUE"; // like ArgumentsAction.NotStoredReason
            }
        };
        List<EnclosingStep> bad = List.of(
                timeout(),                                            // no time (e.g. the body's start node)
                timeout("time", null),
                timeout("time", notStored),
                timeout("time", "soon"),
                timeout("time", new BigDecimal("1.5")),
                timeout("time", 1.5),
                timeout("time", -1),
                timeout("time", 2, "unit", "FORTNIGHTS"),
                timeout("time", 2, "unit", "minutes"),                // TimeoutStep itself refuses lower case
                timeout("time", 2, "unit", notStored),
                timeout("time", 2, "activity", notStored),            // might be an inactivity timeout
                timeout("time", Long.MAX_VALUE, "unit", "DAYS"),      // no date that far
                step("timeout", Instant.EPOCH, "time", 2),            // start time not recorded
                step("sleep", START, "time", 2),
                step("retry", START, "count", 2));
        for (EnclosingStep step : bad) {
            assertThat(RunDeadline.deadlineOf(step)).as("%s", step).isNull();
        }
        assertThat(RunDeadline.earliest(bad)).isNull();
        assertThat(RunDeadline.earliest(List.of())).isNull();
    }

    @Test
    public void nestedTimeoutsGiveTheEarliestDeadline() {
        EnclosingStep outer = step("timeout", START, "time", 1, "unit", "HOURS");
        EnclosingStep inner = step("timeout", START.plus(Duration.ofMinutes(50)), "time", 20, "unit", "MINUTES");
        EnclosingStep innermost = step("timeout", START.plus(Duration.ofMinutes(55)), "time", 30, "unit", "SECONDS");
        EnclosingStep activity = step("timeout", START, "time", 1, "unit", "SECONDS", "activity", true);

        // an inner timeout cannot extend an outer one
        assertThat(RunDeadline.earliest(List.of(inner, outer))).isEqualTo(START.plus(Duration.ofHours(1)));
        // a shorter inner one wins
        assertThat(RunDeadline.earliest(List.of(innermost, inner, outer)))
                .isEqualTo(START.plus(Duration.ofMinutes(55)).plusSeconds(30));
        // order does not matter; activity timeouts and unreadable ones are skipped
        assertThat(RunDeadline.earliest(List.of(outer, activity, timeout("time", "x"), innermost)))
                .isEqualTo(START.plus(Duration.ofMinutes(55)).plusSeconds(30));
    }

    @Test
    public void noFlowNodeNoDeadline() {
        assertThat(RunDeadline.of(null)).isNull();
    }
}
