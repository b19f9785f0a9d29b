/*
 * STAND-IN, compile only, never shipped. Mirrors org.jenkins-ci.main:jenkins-core:2.541.3,
 * core/src/main/java/hudson/EnvVars.java at jenkinsci/jenkins tag jenkins-2.541.3.
 * Only the members plugin/ uses are declared, with their real signatures (see stand-in/README.md).
 */
package hudson;

import java.util.TreeMap;

/*
 * Bodies: plain unit tests read the environment a body would see, so the constructor and override(...) work:
 * keys are case-insensitive as in the real class, and an empty value removes the key. The real override also
 * handles PATH+XYZ keys, which the plugin never sets.
 */
public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 1L;

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public void override(String key, String value) {
        if (value == null || value.isEmpty()) {
            remove(key);
            return;
        }
        put(key, value);
    }
}
