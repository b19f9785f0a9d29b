package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.Base64URL;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/**
 * The in-place check of a token part says "canonical" exactly when decoding and re-encoding the part gives it back,
 * which is how the verifier decided it before.
 */
public class CanonicalBase64UrlTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The old check: alphabet only, and a decode/encode round trip gives the same string. */
    private static boolean roundTrips(String part) {
        if (!part.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return false;
        }
        try {
            return Base64URL.encode(new Base64URL(part).decode()).toString().equals(part);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    public void agreesWithTheRoundTripOnEdgeCases() {
        for (String part : List.of("", "A", "AA", "AB", "AQ", "AAA", "AAB", "AAE", "AAAA", "AAAAA", "QQ", "QR", "eyJ", "eyJh",
                "eyJhbGciOiJSUzI1NiJ9", "eyJhbGciOiJSUzI1NiJ9=", "eyJhbGciOiJSUzI1NiJ9==", "ab+c", "ab/c", "ab c", "ab\nc",
                "abc.", "ÄÄ", "_-", "_w", "_x", "-A", "-B", "AAA_", "AA_", "AA-", "AAw")) {
            assertThat(TokenVerifier.canonicalBase64Url(part, 0, part.length())).as("'%s'", part).isEqualTo(roundTrips(part));
        }
    }

    @Test
    public void agreesWithTheRoundTripOnRandomParts() {
        Random random = new Random(5);
        String letters = ALPHABET + "=+/ .%";
        int canonical = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(14);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                // mostly the alphabet, sometimes a letter outside it
                b.append(random.nextInt(20) == 0 ? letters.charAt(random.nextInt(letters.length()))
                        : ALPHABET.charAt(random.nextInt(64)));
            }
            String part = b.toString();
            boolean expected = roundTrips(part);
            canonical += expected ? 1 : 0;
            assertThat(TokenVerifier.canonicalBase64Url(part, 0, part.length())).as("'%s'", part).isEqualTo(expected);
        }
        assertThat(canonical).as("both answers were seen often").isBetween(20_000, 180_000);
    }

    @Test
    public void readsOnlyTheRangeItIsGiven() {
        String token = "AB.eyA.QQ";
        assertThat(TokenVerifier.canonicalBase64Url(token, 0, 2)).isFalse();
        assertThat(TokenVerifier.canonicalBase64Url(token, 3, 6)).isTrue();
        assertThat(TokenVerifier.canonicalBase64Url(token, 7, 9)).isTrue();
        assertThat(TokenVerifier.canonicalBase64Url(token, 3, 9)).isFalse();
    }
}
