package io.jenkins.plugins.runidentity.core;

/**
 * Port: resolves the client secret an exchange profile names. The command reads the state folder's secret store
 * ({@code secrets/<name>}, a 0600 file); the Jenkins plugin resolves a credentials id. A profile stores the name
 * only, never the secret.
 */
@FunctionalInterface
public interface ClientSecrets {
    /** Resolves nothing: for configurations without client secrets. */
    ClientSecrets NONE = name -> {
        throw new ExchangeFailedException("no secret store is available to resolve client secret "
                + UserText.quote(name), false);
    };

    /**
     * The secret called {@code name}. Callers use it for one request and drop it; never log it.
     *
     * @throws ExchangeFailedException (not refused) when it cannot be found or read, saying where it was looked for
     */
    String reveal(String name);

    /** A secret's name: {@code [A-Za-z0-9][A-Za-z0-9._-]*}, so it can be a file name and a credentials id. */
    static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new ConfigurationException("client secret name " + UserText.quote(name)
                    + " is not valid; use letters, digits, '.', '_' and '-'");
        }
    }
}
