package io.jenkins.plugins.runidentity.core;

/** Tells whether the owner of an open session is certainly gone (a dead process, a run no longer building). */
@FunctionalInterface
public interface OwnerLiveness {
    /** True only when {@code owner} is known to be gone; unknown owners (another host, another controller) are not. */
    boolean isGone(String owner);
}
