package io.jenkins.plugins.runidentity.core;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How an exchange profile presents the run's assertion to the downstream token endpoint. */
public enum ExchangeGrant {
    /**
     * OAuth client credentials, authenticated by the assertion as a JWT client assertion (RFC 7523 §2.2); what
     * Keycloak's {@code federated-jwt} client authenticator accepts.
     */
    CLIENT_CREDENTIALS("client-credentials"),
    /** RFC 8693 token exchange: the assertion is the {@code subject_token}. */
    TOKEN_EXCHANGE("token-exchange");

    private final String code;

    ExchangeGrant(String code) {
        this.code = code;
    }

    /** The name used in configuration and audit records. */
    public String code() {
        return code;
    }

    public static ExchangeGrant parse(String code) {
        return Arrays.stream(values()).filter(g -> g.code.equals(code)).findFirst().orElseThrow(() -> new ConfigurationException(
                "grant " + UserText.quote(code) + " is not known; known grants: "
                        + Arrays.stream(values()).map(ExchangeGrant::code).collect(Collectors.joining(", "))));
    }
}
