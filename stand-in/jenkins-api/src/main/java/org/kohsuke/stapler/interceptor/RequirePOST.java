/*
 * STAND-IN, compile only, never shipped. Mirrors org.kohsuke.stapler:stapler:2050.v425108fd5089 (pinned by jenkins-core 2.541.3),
 * core/src/main/java/org/kohsuke/stapler/interceptor/RequirePOST.java at jenkinsci/stapler tag 2050.v425108fd5089.
 * Stapler is not on Maven Central. Only the members plugin/ uses are declared (see stand-in/README.md).
 */
package org.kohsuke.stapler.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// Real: also @InterceptorAnnotation(RequirePOST.Processor.class), which answers other verbs with 405 at run time,
// and the nested ErrorCustomizer interface and Processor class, which the plugin does not use.
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface RequirePOST {}
