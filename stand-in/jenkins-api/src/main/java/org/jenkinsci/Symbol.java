/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci:symbol-annotation:1.25 (pinned by jenkins-core 2.541.3),
 * src/main/java/org/jenkinsci/Symbol.java at jenkinsci/lib-symbol-annotation tag symbol-annotation-1.25.
 * Not on Maven Central. Real: also @Indexed (annotation-indexer), which only feeds an index at build time.
 */
package org.jenkinsci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface Symbol {
    String[] value();
}
