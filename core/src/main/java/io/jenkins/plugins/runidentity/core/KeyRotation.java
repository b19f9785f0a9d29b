package io.jenkins.plugins.runidentity.core;

import java.time.Instant;

/**
 * What a forced rotation did. A rotation only ever activates a key that relying parties have been able to see in the
 * JWKS for at least one cache period; when the next key is younger than that, nothing changes and {@link #earliest()}
 * says when the rotation can happen.
 *
 * @param issuer     the issuer's id
 * @param rotated    whether a new key now signs
 * @param activeKid  the key that signs now
 * @param retiredKid the key that stopped signing, or null
 * @param nextKid    the published key that will sign next
 * @param earliest   when not rotated: the first instant a rotation is allowed; otherwise null
 */
public record KeyRotation(String issuer, boolean rotated, String activeKid, String retiredKid, String nextKid,
                          Instant earliest) {
}
