/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.plugins:scm-api:728.vc30dcf7a_0df5 (BOM bom-2.541.x
 * 6916.v15ec97679743), src/main/java/jenkins/scm/api/mixin/SCMHeadMixin.java, checked at jenkinsci/scm-api-plugin
 * commit 24df4bb (2026-02-05, the newest stored; CD releases are not tagged). Only the members plugin/ uses are declared.
 */
package jenkins.scm.api.mixin;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;
import jenkins.scm.api.SCMHead;

public interface SCMHeadMixin extends Comparable<SCMHead>, Serializable {
    @NonNull
    String getName();
}
