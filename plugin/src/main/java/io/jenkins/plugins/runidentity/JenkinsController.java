package io.jenkins.plugins.runidentity;

import hudson.AbortException;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;

/** This controller: the engine configured under Manage Jenkins » Security » Run Identity. */
enum JenkinsController implements Controller {
    INSTANCE;

    @Override
    public RunIdentityEngine engine() throws AbortException {
        return RunIdentityConfiguration.get().engine();
    }

    @Override
    public String rootUrl() {
        return RunIdentityConfiguration.rootUrl();
    }
}
