package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.actions.TimingAction;
import org.jenkinsci.plugins.workflow.graph.BlockStartNode;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graph.StepNode;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * When a Pipeline block will be stopped: the earliest end of the {@code timeout} steps enclosing it. Read from the
 * flow graph — which step started each enclosing block, with which arguments, and when — never from anything the
 * running job can set afterwards. A deadline only ever shortens tokens (for templates bound by the run), so a
 * Jenkinsfile can use it to limit its own identity, not to extend it.
 *
 * <p>The {@code timeout} step (workflow-basic-steps {@code TimeoutStep}) takes {@code time} (an int), {@code unit}
 * (a {@link TimeUnit}, {@code MINUTES} by default) and {@code activity} (default false). With {@code activity: true}
 * the time restarts with every line of output, so it is no deadline and is ignored; so is a timeout whose arguments
 * were not recorded or cannot be read.
 */
final class RunDeadline {
    static final String TIMEOUT = "timeout";

    private RunDeadline() {}

    /**
     * A block enclosing the step, as the flow graph records its start.
     *
     * @param functionName the step that started it, e.g. {@code timeout}
     * @param arguments    the step's arguments as recorded (values may be placeholders for ones not stored)
     * @param startMillis  when the step started, epoch milliseconds; 0 if not recorded
     */
    record EnclosingStep(@NonNull String functionName, @NonNull Map<String, ?> arguments, long startMillis) {}

    /** The deadline of the block that {@code node} runs in, or null if none is known. */
    @CheckForNull
    static Instant of(@CheckForNull FlowNode node) {
        if (node == null) {
            return null;
        }
        List<EnclosingStep> enclosing = new ArrayList<>();
        for (BlockStartNode block : node.getEnclosingBlocks()) {
            if (block instanceof StepNode) {
                StepDescriptor d = ((StepNode) block).getDescriptor();
                if (d != null && TIMEOUT.equals(d.getFunctionName())) {
                    enclosing.add(new EnclosingStep(TIMEOUT, ArgumentsAction.getArguments(block), TimingAction.getStartTime(block)));
                }
            }
        }
        return earliest(enclosing);
    }

    /** The earliest deadline any of the enclosing steps sets, or null if none sets one. */
    @CheckForNull
    static Instant earliest(@NonNull List<EnclosingStep> enclosing) {
        Instant earliest = null;
        for (EnclosingStep step : enclosing) {
            Instant d = deadlineOf(step);
            if (d != null && (earliest == null || d.isBefore(earliest))) {
                earliest = d;
            }
        }
        return earliest;
    }

    /** The end of one {@code timeout} step, or null if the step is no hard timeout or its arguments cannot be read. */
    @CheckForNull
    static Instant deadlineOf(@NonNull EnclosingStep step) {
        if (!TIMEOUT.equals(step.functionName()) || step.startMillis() <= 0) {
            return null;
        }
        Map<String, ?> args = step.arguments();
        Object activity = args.get("activity");
        if (activity != null && !Boolean.FALSE.equals(activity) && !"false".equals(activity)) {
            return null; // an inactivity timeout, or a value that was not recorded: no known deadline
        }
        Long time = wholeNumber(args.get("time"));
        TimeUnit unit = unit(args.get("unit"));
        if (time == null || time < 0 || unit == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(step.startMillis()).plus(Duration.of(time, unit.toChronoUnit()));
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null; // beyond any date: no deadline worth the name
        }
    }

    @CheckForNull
    private static Long wholeNumber(@CheckForNull Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof CharSequence) {
            try {
                return Long.valueOf(value.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    @CheckForNull
    private static TimeUnit unit(@CheckForNull Object value) {
        if (value == null) {
            return TimeUnit.MINUTES; // TimeoutStep's default
        }
        if (value instanceof TimeUnit) {
            return (TimeUnit) value;
        }
        if (value instanceof CharSequence) {
            try {
                return TimeUnit.valueOf(value.toString().trim());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
