/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/jenkins/util/Timer.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package jenkins.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/*
 * Body: plain unit tests let the step schedule token refreshes, so get() returns a real scheduled executor of
 * daemon threads, as the real one (10 threads, run as SYSTEM, errors logged) does.
 */
public class Timer {

    private static ScheduledExecutorService executorService;

    @NonNull
    public static synchronized ScheduledExecutorService get() {
        if (executorService == null) {
            executorService = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "jenkins.util.Timer (stand-in)");
                t.setDaemon(true);
                return t;
            });
        }
        return executorService;
    }
}
