/*
 * STAND-IN, compile only, never shipped. Mirrors org.kohsuke.stapler:stapler:2050.v425108fd5089 (pinned by jenkins-core 2.541.3),
 * core/src/main/java/org/kohsuke/stapler/QueryParameter.java at jenkinsci/stapler tag 2050.v425108fd5089.
 * Stapler is not on Maven Central. Only the members plugin/ uses are declared (see stand-in/README.md).
 */
package org.kohsuke.stapler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// Real: also @InjectedParameter(HandlerImpl.class), the nested HandlerImpl, and the members value(), required()
// and fixEmpty() (all defaulted; the plugin sets none).
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Documented
public @interface QueryParameter {}
