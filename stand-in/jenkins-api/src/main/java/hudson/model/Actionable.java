/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Actionable.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

// Real: extends AbstractModelObject implements ModelObjectWithContextMenu.
public abstract class Actionable {

    public void addAction(@NonNull Action a) {
        throw new UnsupportedOperationException("stand-in");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }
}
