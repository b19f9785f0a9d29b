package io.jenkins.plugins.runidentity.core;

import java.util.Set;

/** Names of the claims the engine itself sets. Templates cannot set or override any of them. */
public final class Claims {
    public static final String ISSUER = "iss";
    public static final String SUBJECT = "sub";
    public static final String AUDIENCE = "aud";
    public static final String ISSUED_AT = "iat";
    public static final String NOT_BEFORE = "nbf";
    public static final String EXPIRES = "exp";
    public static final String TOKEN_ID = "jti";
    public static final String SCOPE = "scope";
    public static final String SESSION = "sid";
    public static final String TEMPLATE = "template";
    public static final String JOB = "job";
    public static final String BUILD_NUMBER = "build_number";
    public static final String RUN_ID = "run_id";
    public static final String BUILD_URL = "build_url";
    public static final String BRANCH = "branch";
    public static final String CHANGE = "change";
    public static final String NODE = "node";
    public static final String CAUSE = "cause";
    public static final String CONTROLLER = "controller";
    /** Where the token's revocation status is published (draft-ietf-oauth-status-list). */
    public static final String STATUS = "status";

    /**
     * Reserved: registered JWT claims, the engine's run claims, and claims relying parties give meaning to
     * ({@code status}, {@code cnf}, {@code azp}, {@code nonce}, …).
     */
    public static final Set<String> RESERVED = Set.of(
            ISSUER, SUBJECT, AUDIENCE, ISSUED_AT, NOT_BEFORE, EXPIRES, TOKEN_ID, SCOPE, SESSION, TEMPLATE, JOB,
            BUILD_NUMBER, RUN_ID, BUILD_URL, BRANCH, CHANGE, NODE, CAUSE, CONTROLLER,
            STATUS, "cnf", "azp", "nonce", "auth_time", "acr", "amr", "act", "may_act", "client_id", "typ",
            "token_type", "active", "at_hash", "c_hash", "sub_jwk", "events", "txn");

    private Claims() {}
}
