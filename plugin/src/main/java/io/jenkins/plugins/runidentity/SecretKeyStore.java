package io.jenkins.plugins.runidentity;

import com.nimbusds.jose.jwk.JWK;
import hudson.util.Secret;
import io.jenkins.plugins.runidentity.core.KeyStore;
import io.jenkins.plugins.runidentity.core.StateException;
import io.jenkins.plugins.runidentity.core.StoredKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Keeps the engine's signing keys in the global configuration, each private JWK encrypted as a {@link Secret}
 * (so {@code $JENKINS_HOME} holds only ciphertext, under the controller's master key). The engine decides
 * when keys are generated, activated and retired; this class only stores what it is given.
 */
final class SecretKeyStore implements KeyStore {

    /** Where the records live and how they are saved. */
    interface Backing {
        List<Entry> keys();

        void replace(List<Entry> keys);
    }

    private final Backing backing;

    SecretKeyStore(Backing backing) {
        this.backing = backing;
    }

    @Override
    public synchronized List<StoredKey> read(String issuerId) {
        List<StoredKey> out = new ArrayList<>();
        for (Entry e : backing.keys()) {
            if (e.issuer.equals(issuerId)) {
                out.add(e.toStoredKey());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public synchronized List<StoredKey> update(String issuerId, UnaryOperator<List<StoredKey>> change) {
        List<StoredKey> updated = List.copyOf(change.apply(read(issuerId)));
        List<Entry> all = new ArrayList<>();
        for (Entry e : backing.keys()) {
            if (!e.issuer.equals(issuerId)) {
                all.add(e);
            }
        }
        for (StoredKey k : updated) {
            all.add(Entry.of(issuerId, k));
        }
        backing.replace(all);
        return updated;
    }

    /** One key as saved with the configuration (XStream): the private JWK only ever as a {@link Secret}. */
    static final class Entry {
        private final String issuer;
        private final String kid;
        private final StoredKey.State state;
        private final Secret privateJwk;
        // ISO-8601 text: plain in the XML whatever XStream's converters for java.time.
        private final String created;
        private final String activated;
        private final String retired;

        private Entry(String issuer, String kid, StoredKey.State state, Secret privateJwk, String created,
                      String activated, String retired) {
            this.issuer = issuer;
            this.kid = kid;
            this.state = state;
            this.privateJwk = privateJwk;
            this.created = created;
            this.activated = activated;
            this.retired = retired;
        }

        static Entry of(String issuer, StoredKey key) {
            return new Entry(issuer, key.kid(), key.state(), Secret.fromString(key.revealPrivateJwk().toJSONString()),
                    text(key.created()), text(key.activated()), text(key.retired()));
        }

        private static String text(Instant i) {
            return i == null ? null : i.toString();
        }

        private static Instant instant(String s) {
            return s == null ? null : Instant.parse(s);
        }

        StoredKey toStoredKey() {
            try {
                return new StoredKey(JWK.parse(privateJwk.getPlainText()), state, instant(created), instant(activated),
                        instant(retired));
            } catch (ParseException | RuntimeException e) {
                // Never include the key text: only which key could not be read.
                throw new StateException("signing key " + kid + " of issuer '" + issuer
                        + "' cannot be read; was $JENKINS_HOME/secrets/master.key replaced?");
            }
        }

        @Override
        public String toString() {
            return "SecretKeyStore.Entry[issuer=" + issuer + ", kid=" + kid + ", state=" + state + "]";
        }
    }
}
