/*
 * STAND-IN, compile only, never shipped. Mirrors org.kohsuke.stapler:stapler:2050.v425108fd5089 (pinned by jenkins-core 2.541.3),
 * core/src/main/java/org/kohsuke/stapler/DataBoundSetter.java at jenkinsci/stapler tag 2050.v425108fd5089.
 * Stapler is not on Maven Central. Only the members plugin/ uses are declared (see stand-in/README.md).
 */
package org.kohsuke.stapler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
@Documented
public @interface DataBoundSetter {}
