package io.jenkins.plugins.runidentity;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.IssuerConfig;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.RunIdentityException;
import io.jenkins.plugins.runidentity.core.ScopeTemplate;
import java.io.File;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import jenkins.model.GlobalConfigurationCategory;
import jenkins.model.Jenkins;
import jenkins.model.JenkinsLocationConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins » Security » Run Identity: issuers and scope templates ({@code security: runIdentity:} in
 * Configuration as Code). Also keeps the issuers' signing keys (encrypted, never shown or exported) and the
 * engine built from this configuration.
 */
@Extension
@Symbol("runIdentity")
public final class RunIdentityConfiguration extends GlobalConfiguration {
    private static final Logger LOGGER = Logger.getLogger(RunIdentityConfiguration.class.getName());

    private List<IssuerSettings> issuers = new ArrayList<>();
    private List<TemplateSettings> templates = new ArrayList<>();
    /** Written only through {@link SecretKeyStore}; no getter or setter, so neither forms nor JCasC see it. */
    private List<SecretKeyStore.Entry> signingKeys = new ArrayList<>();

    private transient RunIdentityEngine engine;
    /** Counts saves, so an engine started from settings that changed meanwhile is thrown away. */
    private transient long generation;
    private final transient SecretKeyStore keyStore = new SecretKeyStore(new ConfigurationKeys());
    /** Set while {@link #configure} binds the form: the setters then leave saving to it. */
    private transient boolean binding;
    /** Taken by {@link #save()} before this object's lock, so that settings reach the engine in order. */
    private final transient Object reconfiguring = new Object();
    /** The engine's clock; only tests set another one. */
    private transient Clock clock = Clock.systemUTC();

    public RunIdentityConfiguration() {
        load();
    }

    public static RunIdentityConfiguration get() {
        return ExtensionList.lookupSingleton(RunIdentityConfiguration.class);
    }

    @NonNull
    @Override
    public GlobalConfigurationCategory getCategory() {
        return GlobalConfigurationCategory.get(GlobalConfigurationCategory.Security.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "Run Identity";
    }

    public synchronized List<IssuerSettings> getIssuers() {
        return List.copyOf(issuers);
    }

    @DataBoundSetter
    public void setIssuers(List<IssuerSettings> issuers) {
        synchronized (this) {
            this.issuers = issuers == null ? new ArrayList<>() : new ArrayList<>(issuers);
            if (binding) {
                return; // configure() saves once the whole form is bound
            }
        }
        save(); // outside the lock: see save()
    }

    public synchronized List<TemplateSettings> getTemplates() {
        return List.copyOf(templates);
    }

    @DataBoundSetter
    public void setTemplates(List<TemplateSettings> templates) {
        synchronized (this) {
            this.templates = templates == null ? new ArrayList<>() : new ArrayList<>(templates);
            if (binding) {
                return; // configure() saves once the whole form is bound
            }
        }
        save(); // outside the lock: see save()
    }

    /** Emptied repeatable lists are absent from the form, so clear them before binding; refuse what the engine refuses. */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<IssuerSettings> oldIssuers;
        List<TemplateSettings> oldTemplates;
        synchronized (this) {
            oldIssuers = issuers;
            oldTemplates = templates;
            issuers = new ArrayList<>();
            templates = new ArrayList<>();
            binding = true;
        }
        boolean result;
        try {
            // The engine sees only the whole new configuration, never one with new issuers and no templates yet.
            result = super.configure(req, json);
        } finally {
            synchronized (this) {
                binding = false;
            }
        }
        String problem = problem();
        if (problem != null) {
            synchronized (this) {
                issuers = oldIssuers;
                templates = oldTemplates;
            }
            save();
            throw new FormException(problem, "issuers");
        }
        save();
        return result;
    }

    /** The configuration's first problem as the engine words it, or null when the engine accepts it. */
    @CheckForNull
    String problem() {
        if (getIssuers().isEmpty() && getTemplates().isEmpty()) {
            return null; // not configured yet: nothing to complain about
        }
        try {
            toEngineConfig();
            return null;
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
    }

    /**
     * Saves, and applies the new settings to the running engine ({@link RunIdentityEngine#reconfigure}): keys,
     * sessions and the audit log stay, and blocks that are running keep refreshing their tokens. Settings the engine
     * refuses drop it instead; the next use says what is wrong.
     *
     * <p>The engine is changed outside this object's lock, because it may write keys, which takes the audit log's
     * lock and then this one; saves take {@link #reconfiguring} first, so they apply in the order they were made.
     */
    @Override
    public void save() {
        synchronized (reconfiguring) {
            RunIdentityEngine running;
            EngineConfig next = null;
            synchronized (this) {
                super.save();
                running = engine;
                if (running != null) {
                    try {
                        next = toEngineConfig();
                    } catch (ConfigurationException e) {
                        generation++;
                        engine = null; // the next use reports the problem
                    }
                }
                if (running == null) {
                    generation++; // an engine being started from the old settings is thrown away
                }
            }
            if (running == null) {
                return;
            }
            if (next == null) {
                running.close();
                return;
            }
            try {
                running.reconfigure(next);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Run Identity could not apply the new settings to the running engine; starting a new one", e);
                synchronized (this) {
                    generation++;
                    if (engine == running) {
                        engine = null;
                    }
                }
                running.close();
            }
        }
    }

    /** For tests: the engine keeps time with {@code clock} from now on (e.g. to make a key old enough to rotate). */
    void useClockForTesting(@NonNull Clock clock) {
        RunIdentityEngine stale;
        synchronized (this) {
            this.clock = clock;
            generation++;
            stale = engine;
            engine = null;
        }
        if (stale != null) {
            stale.close();
        }
    }

    /** The controller's configured root URL, ending in {@code /}, or null when it is not set. */
    @CheckForNull
    static String rootUrl() {
        String url = JenkinsLocationConfiguration.get().getUrl();
        if (url == null || url.isBlank()) {
            return null;
        }
        return url.endsWith("/") ? url : url + "/";
    }

    /**
     * The configuration as the engine sees it.
     *
     * @throws ConfigurationException when it is incomplete or invalid (the message says what to change)
     */
    EngineConfig toEngineConfig() {
        String root = rootUrl();
        if (root == null) {
            throw new ConfigurationException("the Jenkins URL is not set (Manage Jenkins » System); issuer URLs are derived from it");
        }
        List<IssuerConfig> is = new ArrayList<>();
        for (IssuerSettings i : getIssuers()) {
            is.add(i.toConfig(root));
        }
        List<ScopeTemplate> ts = new ArrayList<>();
        for (TemplateSettings t : getTemplates()) {
            ts.add(t.toTemplate());
        }
        return new EngineConfig(is, ts);
    }

    /**
     * The engine for the current settings. It is started outside this object's lock: starting replays the audit
     * log and may write keys, which also takes this lock.
     *
     * @throws AbortException when Run Identity is not (validly) configured or its state cannot be used; one line
     *                        for a build log
     */
    RunIdentityEngine engine() throws AbortException {
        while (true) {
            EngineConfig config;
            long seen;
            synchronized (this) {
                if (engine != null) {
                    return engine;
                }
                seen = generation;
                try {
                    config = toEngineConfig();
                } catch (ConfigurationException e) {
                    throw new AbortException("Run Identity is not configured correctly (Manage Jenkins » Security » Run Identity): "
                            + e.getMessage());
                }
            }
            Clock engineClock;
            synchronized (this) {
                engineClock = clock;
            }
            RunIdentityEngine started = start(config, engineClock);
            synchronized (this) {
                if (engine == null && generation == seen) {
                    engine = started;
                    return started;
                }
            }
            started.close(); // the settings changed meanwhile, or another thread won: use theirs
        }
    }

    private RunIdentityEngine start(EngineConfig config, Clock clock) throws AbortException {
        // Each engine reads the audit log from its start, so it gets its own handle on the shared state directory.
        JenkinsStateStore store;
        try {
            store = JenkinsStateStore.open(new File(Jenkins.get().getRootDir(), "run-identity").toPath(), keyStore);
        } catch (RunIdentityException e) {
            throw new AbortException("Run Identity cannot open its state: " + e.getMessage());
        }
        try {
            return RunIdentityEngine.start(config, store, clock);
        } catch (RunIdentityException e) {
            store.close();
            throw new AbortException("Run Identity cannot start: " + e.getMessage());
        }
    }

    /** The engine if Run Identity is configured, or null; for lifecycle work that has nothing to do otherwise. */
    @CheckForNull
    RunIdentityEngine engineIfConfigured() {
        if (getIssuers().isEmpty()) {
            return null; // never set up: nothing to start, nothing to close
        }
        try {
            return engine();
        } catch (AbortException e) {
            LOGGER.log(Level.FINE, "Run Identity is not configured", e);
            return null;
        }
    }

    /** Stores the signing keys in {@link #signingKeys}, saved with this configuration (as {@code Secret}s). */
    private final class ConfigurationKeys implements SecretKeyStore.Backing {
        @Override
        public List<SecretKeyStore.Entry> keys() {
            synchronized (RunIdentityConfiguration.this) {
                return List.copyOf(signingKeys);
            }
        }

        @Override
        public void replace(List<SecretKeyStore.Entry> keys) {
            synchronized (RunIdentityConfiguration.this) {
                signingKeys = new ArrayList<>(keys);
                RunIdentityConfiguration.super.save(); // new keys need no new engine
            }
        }
    }
}
