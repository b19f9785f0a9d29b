/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins:scm-api:728.vc30dcf7a_0df5 (BOM bom-2.541.x
 * 6916.v15ec97679743), src/main/java/jenkins/scm/api/SCMHead.java, checked at jenkinsci/scm-api-plugin
 * commit 24df4bb (2026-02-05, the newest stored; CD releases are not tagged). Only the members plugin/ uses are declared.
 */
package jenkins.scm.api;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.Item;
import jenkins.scm.api.mixin.SCMHeadMixin;

// Real: @ExportedBean.
public class SCMHead implements SCMHeadMixin {
    private static final long serialVersionUID = 1L;

    public SCMHead(@NonNull String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    @NonNull
    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public int compareTo(SCMHead o) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static abstract class HeadByItem implements ExtensionPoint {

        @CheckForNull
        public abstract SCMHead getHead(Item item);

        @CheckForNull
        public static SCMHead findHead(Item item) {
            throw new UnsupportedOperationException("stand-in");
        }
    }
}
