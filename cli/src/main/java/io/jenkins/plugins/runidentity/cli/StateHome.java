package io.jenkins.plugins.runidentity.cli;

import io.jenkins.plugins.runidentity.core.CloseReason;
import io.jenkins.plugins.runidentity.core.ConfigDocument;
import io.jenkins.plugins.runidentity.core.ConfigurationException;
import io.jenkins.plugins.runidentity.core.EngineConfig;
import io.jenkins.plugins.runidentity.core.RunIdentityEngine;
import io.jenkins.plugins.runidentity.core.StateException;
import io.jenkins.plugins.runidentity.core.file.FileStateStore;
import io.jenkins.plugins.runidentity.core.file.FileTrust;
import io.jenkins.plugins.runidentity.core.file.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** The state folder: {@code $RUN_IDENTITY_HOME}, or {@code ./.run-identity}; its {@code config.yaml}; the engine on it. */
final class StateHome {
    static final String CONFIG = "config.yaml";
    private final Path dir;

    private StateHome(Path dir) {
        this.dir = dir;
    }

    static StateHome locate(Path explicit) {
        if (explicit != null) {
            return new StateHome(explicit);
        }
        String env = System.getenv("RUN_IDENTITY_HOME");
        return new StateHome(env != null && !env.isBlank() ? Path.of(env) : Path.of(".run-identity"));
    }

    Path dir() {
        return dir;
    }

    Path configFile() {
        return dir.resolve(CONFIG);
    }

    EngineConfig readConfig() {
        Path file = configFile();
        if (!Files.exists(file)) {
            throw new UsageError("no state at " + dir + " (no " + CONFIG + "); run 'run-identity init' first,"
                    + " or set RUN_IDENTITY_HOME");
        }
        secure();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /**
     * Refuses a state folder (or a folder or the configuration in it) that another user owns, and makes the state
     * folder and its folders 0700 when they are the current user's: whoever can write into them could swap the
     * signing key or the configuration. Runs before anything in the folder is read.
     */
    void secure() {
        FileTrust.secureFolder(dir, "state folder");
        FileTrust.secureFolder(dir.resolve("keys"), "key folder");
        FileTrust.secureFolder(secretsFolder(), "secret folder");
        FileTrust.secureFolder(runDir(), "token folder");
        FileTrust.checkOwnFile(configFile(), "configuration");
    }

    static EngineConfig parse(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        options.setNestingDepthLimit(20);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigurationException(name + " line " + (e.getProblemMark().getLine() + 1) + ", column "
                    + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigurationException(name + ": not valid YAML: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML's constructors let some of their own failures through as they are (a !!binary value that is
            // not base64 gives an IllegalArgumentException): still a bad file, not a crash.
            throw new ConfigurationException(name + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        try {
            return ConfigDocument.read(doc);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(name + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /**
     * Opens the engine, closes sessions whose process died without closing them, and removes the token files
     * those processes left behind.
     */
    RunIdentityEngine open(Clock clock) {
        EngineConfig config = readConfig();
        RunIdentityEngine engine = RunIdentityEngine.start(config, FileStateStore.open(dir, clock), clock);
        sweepOrphans(engine, new ProcessOwner());
        return engine;
    }

    /**
     * Closes the sessions whose process died without closing them (as orphaned) and removes the token folders of
     * sessions no longer open: what every command does when it starts, and serve every two seconds.
     */
    int sweepOrphans(RunIdentityEngine engine, ProcessOwner liveness) {
        int closed = engine.closeOrphanedSessions(liveness, CloseReason.ORPHANED);
        if (Files.isDirectory(runDir())) {
            removeStaleTokenFolders(() -> engine.openSessions().keySet());
        }
        return closed;
    }

    private Path runDir() {
        return dir.resolve("run");
    }

    /** The secret store: {@code secrets/<name>}, one 0600 file per client secret an exchange profile names. */
    Path secretsFolder() {
        return dir.resolve("secrets");
    }

    /** Where one session's token file goes: {@code run/<session>} (made by {@link #tokenFolder}). */
    Path tokenFolderPath(String sessionId) {
        return runDir().resolve(sessionId);
    }

    /**
     * A new 0700 folder for one session's token file: {@code run/<session>}. When it cannot be made (say
     * {@code run} is a file), a {@link StateException} says which path and what to do.
     */
    Path tokenFolder(String sessionId) {
        Path folder = tokenFolderPath(sessionId);
        try {
            PrivateFiles.directory(runDir());
            FileTrust.secureFolder(runDir(), "token folder");
            return PrivateFiles.directory(folder);
        } catch (IOException e) {
            if (Files.exists(runDir()) && !Files.isDirectory(runDir())) {
                throw new StateException(runDir() + " is not a folder, and exec keeps each run's token file in it:"
                        + " move it aside (or remove it) and run again");
            }
            throw new StateException("cannot make the folder for the token file, " + folder + ": "
                    + e.getClass().getSimpleName() + "; " + runDir() + " must be a folder you can write");
        }
    }

    /**
     * Removes token folders of sessions that are no longer open. The folders are listed before asking which sessions
     * are open: a folder is made only after its session's minted record is durable, so every folder listed belongs to
     * a session the later answer knows. Asked the other way round, a session opened in between by another process
     * would lose its token file while its command runs.
     */
    void removeStaleTokenFolders(java.util.function.Supplier<java.util.Set<String>> openSessions) {
        try (java.util.stream.Stream<Path> listed = Files.list(runDir())) {
            List<Path> folders = listed.toList();
            java.util.Set<String> open = openSessions.get();
            for (Path f : folders.stream().filter(p -> !open.contains(p.getFileName().toString())).toList()) {
                try (java.util.stream.Stream<Path> files = Files.list(f)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // best effort: the tokens in there are already revoked
        }
    }
}
