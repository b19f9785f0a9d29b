package io.jenkins.plugins.runidentity;

import hudson.AbortException;
import hudson.model.Computer;
import hudson.model.Run;
import io.jenkins.plugins.runidentity.core.RunFacts;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import java.time.Instant;
import jenkins.scm.api.SCMHead;

/** This controller: the engine configured under Manage Jenkins » Security » Run Identity. */
enum JenkinsController implements Controller {
    INSTANCE;

    @Override
    public RunIdentityEngine engine() throws AbortException {
        return RunIdentityConfiguration.get().engine();
    }

    @Override
    public RunFacts factsOf(Run<?, ?> run, Computer computer, Instant deadline) {
        return JenkinsRunFacts.of(run, computer, RunIdentityConfiguration.rootUrl(),
                SCMHead.HeadByItem.findHead(run.getParent()), deadline);
    }
}
