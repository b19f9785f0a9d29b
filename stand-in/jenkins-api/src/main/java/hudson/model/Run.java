/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Run.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import java.nio.charset.Charset;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;

// Real: also implements Comparable<RunT>, AccessControlled, PersistenceRoot, DescriptorByNameOwner, OnMaster,
// StaplerProxy, HistoricalBuild, WithConsoleUrl.
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable implements ExtensionPoint {

    @Override
    public void addAction(@NonNull Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final @NonNull Charset getCharset() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @NonNull List<Cause> getCauses() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @NonNull JobT getParent() {
        throw new UnsupportedOperationException("stand-in");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @NonNull String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @NonNull String getExternalizableId() {
        throw new UnsupportedOperationException("stand-in");
    }

    public @CheckForNull static Run<?, ?> fromExternalizableId(String id) throws IllegalArgumentException, AccessDeniedException {
        throw new UnsupportedOperationException("stand-in");
    }
}
