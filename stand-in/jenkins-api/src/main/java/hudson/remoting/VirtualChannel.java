/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:remoting:3352.v17a_fb_4b_2773f (what
 * jenkins-core 2.541.3 pins), src/main/java/hudson/remoting/VirtualChannel.java in jenkinsci/remoting.
 * Type only: the plugin receives it in FileCallable.invoke and never calls it.
 */
package hudson.remoting;

public interface VirtualChannel {}
