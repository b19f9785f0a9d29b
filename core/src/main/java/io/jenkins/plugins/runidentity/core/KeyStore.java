package io.jenkins.plugins.runidentity.core;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Storage port for signing keys. Private keys never leave it unencrypted: the state directory keeps them in
 * files only its owner can read; Jenkins keeps them as {@code Secret}.
 */
public interface KeyStore {

    /** The issuer's keys, oldest first; empty when it has none yet. */
    List<StoredKey> read(String issuerId);

    /**
     * Replaces the issuer's keys with {@code change.apply(current)}, atomically with respect to every other
     * process sharing the store. Returns what is now stored.
     */
    List<StoredKey> update(String issuerId, UnaryOperator<List<StoredKey>> change);
}
