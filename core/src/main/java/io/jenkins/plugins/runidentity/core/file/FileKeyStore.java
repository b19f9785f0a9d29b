package io.jenkins.plugins.runidentity.core.file;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.jenkins.plugins.runidentity.core.KeyStore;
import io.jenkins.plugins.runidentity.core.StateException;
import io.jenkins.plugins.runidentity.core.StoredKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Keys in {@code keys/<issuer>.json}, one 0600 file per issuer, replaced atomically under a lock file that every
 * process sharing the folder takes.
 */
final class FileKeyStore implements KeyStore {
    private final Path dir;

    FileKeyStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<StoredKey> read(String issuerId) {
        Path file = fileOf(issuerId);
        FileTrust.checkKeyFile(file);
        try {
            return parse(issuerId, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StateException("cannot read the keys of issuer '" + issuerId + "' in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredKey> update(String issuerId, UnaryOperator<List<StoredKey>> change) {
        try {
            PrivateFiles.directory(dir);
            FileTrust.secureFolder(dir, "key folder");
        } catch (IOException e) {
            throw new StateException("cannot create the key folder " + dir + ": " + e.getMessage(), e);
        }
        java.util.concurrent.locks.ReentrantLock jvmWide = JvmLocks.of(dir.resolve(".lock"));
        jvmWide.lock();
        try {
            try {
                try (FileChannel lockFile = PrivateFiles.open(dir.resolve(".lock")); FileLock lock = lockFile.lock()) {
                    List<StoredKey> current = read(issuerId);
                    List<StoredKey> next = List.copyOf(change.apply(current));
                    if (!next.equals(current)) {
                        PrivateFiles.writeAtomically(fileOf(issuerId), render(next).getBytes(StandardCharsets.UTF_8));
                    }
                    return next;
                }
            } catch (IOException e) {
                throw new StateException("cannot write the keys of issuer '" + issuerId + "' in " + dir + ": " + e.getMessage(), e);
            }
        } finally {
            jvmWide.unlock();
        }
    }

    private Path fileOf(String issuerId) {
        if (!issuerId.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("bad issuer id");
        }
        return dir.resolve(issuerId + ".json");
    }

    private static String render(List<StoredKey> keys) {
        List<Object> list = new ArrayList<>();
        for (StoredKey k : keys) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", k.state().name());
            m.put("created", k.created().toString());
            if (k.activated() != null) m.put("activated", k.activated().toString());
            if (k.retired() != null) m.put("retired", k.retired().toString());
            m.put("jwk", k.revealPrivateJwk().toJSONObject());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("keys", list);
        return JSONObjectUtils.toJSONString(doc) + "\n";
    }

    private List<StoredKey> parse(String issuerId, String text) {
        try {
            Map<String, Object> doc = JSONObjectUtils.parse(text);
            List<StoredKey> keys = new ArrayList<>();
            for (Object o : JSONObjectUtils.getJSONArray(doc, "keys")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                JWK jwk = JWK.parse(JSONObjectUtils.getJSONObject(m, "jwk"));
                keys.add(new StoredKey(jwk, StoredKey.State.valueOf(JSONObjectUtils.getString(m, "state")),
                        Instant.parse(JSONObjectUtils.getString(m, "created")), instant(m, "activated"), instant(m, "retired")));
            }
            return keys;
        } catch (java.text.ParseException | RuntimeException e) {
            // The message of a JSON or JWK parser may quote key material: never pass it on.
            throw new StateException("the key file of issuer '" + issuerId + "' in " + dir + " is damaged and cannot be read");
        }
    }

    private static Instant instant(Map<String, Object> m, String name) throws java.text.ParseException {
        String v = JSONObjectUtils.getString(m, name);
        return v == null ? null : Instant.parse(v);
    }
}
