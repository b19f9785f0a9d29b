package io.jenkins.plugins.runidentity.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What is true about one execution, taken only from trusted server-side state (the Jenkins model, or the
 * {@code run-identity} command's own bookkeeping) — never from environment variables a job can set.
 *
 * @param job         full name of the job, e.g. {@code team/app/main}
 * @param buildNumber the run's number within the job, from 1
 * @param runId       the run's unique id, e.g. {@code team/app/main#42}
 * @param buildUrl    where humans see the run, or null
 * @param branch      the branch of a multibranch job, or null
 * @param change      the change request (pull request) id, or null
 * @param node        where the run executes, or null
 * @param cause       why the run started, or null
 * @param controller  the identity of the controller or host that owns the run, or null
 * @param deadline    when the run (or the enclosing block) will be stopped, e.g. by a timeout, or null if unknown;
 *                    templates with {@link ScopeTemplate#boundByRun()} cap {@code exp} at it
 */
public record RunFacts(String job, long buildNumber, String runId, String buildUrl, String branch, String change,
                       String node, String cause, String controller, Instant deadline) {

    /** Variable names a template format may use. Facts that a run lacks are absent, not empty. */
    public static final Set<String> VARIABLES = Set.of(
            "job", "build_number", "run_id", "build_url", "branch", "change", "node", "cause", "controller",
            "issuer", "template");

    public RunFacts {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("a run needs its job's full name");
        }
        String problem = jobNameProblem(job);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (buildNumber < 1) {
            throw new IllegalArgumentException("build number must be 1 or more, got " + buildNumber);
        }
        if (runId == null || runId.isBlank()) {
            runId = job + "#" + buildNumber;
        }
        if (deadline != null) {
            deadline = deadline.truncatedTo(ChronoUnit.SECONDS); // exp is whole seconds; never round up past it
        }
        String[] names = {"job name", "run id", "build URL", "branch", "change", "node", "cause", "controller"};
        String[] values = {job, runId, buildUrl, branch, change, node, cause, controller};
        for (int i = 0; i < names.length; i++) {
            // A claim must carry the value exactly; an unpaired surrogate would be silently replaced when encoded.
            if (values[i] != null && !UserText.isWellFormed(values[i])) {
                throw new IllegalArgumentException("the " + names[i] + " " + UserText.quote(values[i])
                        + " is not valid Unicode text (it has an unpaired surrogate)");
            }
        }
    }

    /**
     * Why {@code job} cannot be a job's full name, in one line, or null if it can. A full name is segments separated
     * by single slashes, as Jenkins writes them: no empty or blank segment, no leading or trailing slash, no {@code .}
     * or {@code ..} segment (which would let {@code payments/../prod} pass {@code allowedJobs: [payments/**]} and read
     * as another job), no control character or line break, no Unicode bidi control (which makes a name display as
     * another), no {@code #} (which separates the job from the build number in a run id), and no {@code :} or
     * {@code \\} ({@code deploy:branch:main} would make {@code job:${job}:branch:${branch}} subjects ambiguous for
     * relying parties that match them with patterns). Jenkins' own names never
     * hold any of these; the command takes the name from its caller, so it is checked here, for every adapter.
     */
    public static String jobNameProblem(String job) {
        if (job == null || job.isBlank()) {
            return "a run needs its job's full name";
        }
        String why = null;
        if (job.startsWith("/") || job.endsWith("/")) {
            why = "starts or ends with '/'";
        } else {
            for (int i = 0; i < job.length() && why == null; i++) {
                char c = job.charAt(i);
                if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029') {
                    why = "has a control character or line break";
                } else if (UserText.isBidiControl(c)) {
                    why = "has a Unicode bidi control character";
                } else if (c == '#') {
                    why = "has a '#', which separates the job from the build number in a run id";
                } else if (c == ':') {
                    why = "has a ':', which separates the parts of subjects such as job:<name>:branch:<branch>";
                } else if (c == '\\') {
                    why = "has a '\\'";
                }
            }
            for (String segment : job.split("/", -1)) {
                if (why != null) {
                    break;
                }
                if (segment.isBlank()) {
                    why = "has an empty segment";
                } else if (segment.equals(".") || segment.equals("..")) {
                    why = "has a '" + segment + "' segment";
                }
            }
        }
        return why == null ? null : "the job name " + UserText.quote(job) + " " + why + "; a job's full name is"
                + " non-empty segments separated by single '/', without '.' or '..' segments, '#', ':', '\\', control or bidi characters";
    }

    /** Facts of a run whose deadline is unknown. */
    public RunFacts(String job, long buildNumber, String runId, String buildUrl, String branch, String change,
                    String node, String cause, String controller) {
        this(job, buildNumber, runId, buildUrl, branch, change, node, cause, controller, null);
    }

    public static Builder builder(String job, long buildNumber) {
        return new Builder(job, buildNumber);
    }

    /** The facts as template variables ({@code issuer} and {@code template} are added by the policy). */
    public Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("job", job);
        v.put("build_number", Long.toString(buildNumber));
        v.put("run_id", runId);
        putIfPresent(v, "build_url", buildUrl);
        putIfPresent(v, "branch", branch);
        putIfPresent(v, "change", change);
        putIfPresent(v, "node", node);
        putIfPresent(v, "cause", cause);
        putIfPresent(v, "controller", controller);
        return Collections.unmodifiableMap(v);
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }

    /** Builds {@link RunFacts}; optional facts default to absent. */
    public static final class Builder {
        private final String job;
        private final long buildNumber;
        private String runId, buildUrl, branch, change, node, cause, controller;
        private Instant deadline;

        private Builder(String job, long buildNumber) {
            this.job = job;
            this.buildNumber = buildNumber;
        }

        public Builder runId(String v) { this.runId = v; return this; }
        public Builder buildUrl(String v) { this.buildUrl = v; return this; }
        public Builder branch(String v) { this.branch = v; return this; }
        public Builder change(String v) { this.change = v; return this; }
        public Builder node(String v) { this.node = v; return this; }
        public Builder cause(String v) { this.cause = v; return this; }
        public Builder controller(String v) { this.controller = v; return this; }
        /** When the run will be stopped (an enclosing timeout), if known. */
        public Builder deadline(Instant v) { this.deadline = v; return this; }

        public RunFacts build() {
            return new RunFacts(job, buildNumber, runId, buildUrl, branch, change, node, cause, controller, deadline);
        }
    }
}
