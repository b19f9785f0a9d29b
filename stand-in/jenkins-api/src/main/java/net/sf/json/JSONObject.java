/*
 * STAND-IN, compile only, never shipped. Mirrors org.kohsuke.stapler:json-lib:2.4-jenkins-15 (pinned by jenkins-core 2.541.3),
 * src/main/java/net/sf/json/JSONObject.java at jenkinsci/json-lib tag json-lib-2.4-jenkins-15.
 * Not on Maven Central. The plugin only passes it through, so no member is declared.
 * Real: extends AbstractJSON implements JSON, Map<String, Object>, Comparable.
 */
package net.sf.json;

public final class JSONObject {

    private JSONObject() {
    }
}
