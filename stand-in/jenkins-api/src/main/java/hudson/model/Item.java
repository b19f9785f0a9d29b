/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/model/Item.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

// Real: also extends PersistenceRoot, FullyNamedModelObject, SearchableModelObject, FullyNamed, Named, OnMaster.
public interface Item extends AccessControlled {

    String getFullName();

    Permission CONFIGURE = null; // stand-in: the real value is a Permission in the Item group
}
