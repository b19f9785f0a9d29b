package io.jenkins.plugins.runidentity.core;

/**
 * An open identity of one run: its id, the request it was granted for, and its current token.
 *
 * @param id       the session id (the {@code sid} claim)
 * @param issuerId the issuer's id
 * @param template the template's id
 * @param facts    the run
 * @param token    the token minted when the session opened (or last refreshed)
 * @param request  what the run asked for; a refresh asks for it again
 */
public record Session(String id, String issuerId, String template, RunFacts facts, IssuedToken token, MintRequest request) {
}
