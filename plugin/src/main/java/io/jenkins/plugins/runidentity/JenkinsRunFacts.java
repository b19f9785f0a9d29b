package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Cause;
import hudson.model.Computer;
import hudson.model.Run;
import io.jenkins.plugins.runidentity.core.RunFacts;
import java.time.Instant;
import java.util.List;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/**
 * Reads {@link RunFacts} from the Jenkins model: the run, its job, the branch or change request of a multibranch
 * job, the computer the step runs on and the controller's root URL. Never from the build's environment, which the
 * job itself can change.
 */
final class JenkinsRunFacts {
    private JenkinsRunFacts() {}

    /**
     * @param run        the run asking for an identity
     * @param computer   where the step runs, or null outside a {@code node} block
     * @param rootUrl    the controller's root URL (ending in {@code /}), or null when it is not configured
     * @param head       the SCM head of a multibranch job's branch or change request, or null
     * @param deadline   when the block asking will be stopped (an enclosing {@code timeout}), or null
     */
    static RunFacts of(@NonNull Run<?, ?> run, @CheckForNull Computer computer, @CheckForNull String rootUrl,
                       @CheckForNull SCMHead head, @CheckForNull Instant deadline) {
        return RunFacts.builder(run.getParent().getFullName(), run.getNumber())
                .runId(owner(run))
                .buildUrl(rootUrl == null ? null : rootUrl + run.getUrl())
                // A change request's own head name (e.g. PR-42), never its target branch: a pull request must not
                // pass for the branch it wants to change.
                .branch(head == null ? null : head.getName())
                .change(head instanceof ChangeRequestSCMHead ? ((ChangeRequestSCMHead) head).getId() : null)
                .node(computer == null ? null : nodeName(computer))
                .cause(cause(run.getCauses()))
                .controller(rootUrl)
                .deadline(deadline)
                .build();
    }

    /** The owner of a run's sessions: its externalizable id, e.g. {@code folder/job#42}, stable across restarts. */
    static String owner(@NonNull Run<?, ?> run) {
        return run.getExternalizableId();
    }

    private static String nodeName(Computer computer) {
        String name = computer.getName();
        return name.isEmpty() ? "built-in" : name;
    }

    /** The first cause, as the user id for a user-started run and otherwise the kind of cause. */
    @CheckForNull
    static String cause(List<Cause> causes) {
        if (causes.isEmpty()) {
            return null;
        }
        Cause first = causes.get(0);
        if (first instanceof Cause.UserIdCause) {
            String user = ((Cause.UserIdCause) first).getUserId();
            return user == null ? "user:anonymous" : "user:" + user;
        }
        return first.getClass().getSimpleName();
    }
}
