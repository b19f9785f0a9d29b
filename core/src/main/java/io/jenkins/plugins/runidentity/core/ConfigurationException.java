package io.jenkins.plugins.runidentity.core;

/** An issuer, a scope template or a configuration document is invalid. */
public final class ConfigurationException extends RunIdentityException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
