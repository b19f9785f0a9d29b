package io.jenkins.plugins.runidentity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.Test;

public class TokenMaskingFilterTest {

    static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ims"
            + ".eyJpc3MiOiJodHRwczovL2plbmtpbnMuZXhhbXBsZS9ydW4taWRlbnRpdHkvY29ycCIsInN1YiI6ImpvYjp0ZWFtL2FwcCJ9"
            + ".c2lnbmF0dXJlLWJ5dGVzLXRoYXQtYXJlLW5vdC1yZWFsbHktYS1zaWduYXR1cmUtYnV0LWxvbmctZW5vdWdo";

    /** Another token of the same shape, e.g. one a refresh minted after the filter was built. */
    static final String OTHER = "eyJraWQiOiJvdGhlciIsImFsZyI6IkVTMjU2In0"
            + ".eyJqdGkiOiJhbm90aGVyLXRva2VuIiwic3ViIjoiam9iOnRlYW0vYXBwIn0"
            + ".MEUCIQDx3k2d9o1vVdQy0Xw9b8sL5Yl1W2F3r7pNqTjKx0uVHgIgP4a6qLmN0b1c2d3e4f5g6h7i8j9k0l";

    private static byte[] filterBytes(byte[] bytes) throws IOException, InterruptedException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new TokenMaskingFilter(TOKEN, StandardCharsets.UTF_8).decorateLogger(null, sink)) {
            out.write(bytes);
        }
        return sink.toByteArray();
    }

    private static String filter(String text) throws IOException, InterruptedException {
        return new String(filterBytes(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    public void masksTheTokenAsIs() throws Exception {
        assertThat(filter("+ curl -H 'Authorization: Bearer " + TOKEN + "' https://x\n"))
                .isEqualTo("+ curl -H 'Authorization: Bearer ****' https://x\n");
    }

    @Test
    public void masksEveryOccurrenceOnEveryLine() throws Exception {
        assertThat(filter(TOKEN + " " + TOKEN + "\nnext " + TOKEN + "\n")).isEqualTo("**** ****\nnext ****\n");
    }

    @Test
    public void leavesOtherTextAlone() throws Exception {
        String text = "nothing secret here: eyJhbGciOi but not the token\nsecond line without newline";
        assertThat(filter(text)).isEqualTo(text);
    }

    @Test
    public void masksBase64OfTheTokenWhateverPrecedesIt() throws Exception {
        for (String prefix : new String[] {"", "a", "ab", "abc", "{\"token\":\""}) {
            for (String suffix : new String[] {"", "\n", "\"}", "xy"}) {
                byte[] raw = (prefix + TOKEN + suffix).getBytes(StandardCharsets.UTF_8);
                for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
                    String encoded = encoder.encodeToString(raw);
                    String out = filter("encoded: " + encoded + "\n");
                    assertThat(out).as("prefix '%s', suffix '%s'", prefix, suffix).contains("****");
                    // All that is left unmasked is the encoding of the text around the token, give or take the
                    // characters that straddle it and the padding.
                    int around = Base64.getEncoder().encodeToString((prefix + suffix).getBytes(StandardCharsets.UTF_8)).length();
                    assertThat(out.replace("encoded: ", "").replace("****", "").trim().length())
                            .as("unmasked rest for prefix '%s', suffix '%s'", prefix, suffix).isLessThanOrEqualTo(around + 6);
                }
            }
        }
    }

    @Test
    public void formsAreTheTokenAndStableBase64Fragments() {
        // The token, then one base64 fragment per alignment in each alphabet (equal when no '+' or '/' occurs).
        assertThat(TokenMaskingFilter.forms(TOKEN)).contains(TOKEN).hasSizeBetween(4, 7);
        assertThat(TokenMaskingFilter.forms("abc")).containsExactly("abc");
    }

    @Test
    public void regularExpressionCharactersInTheTokenAreLiteral() throws Exception {
        String odd = "a.b*c+d?e(f)g[h]i{j}k|l$m^n\\o";
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new TokenMaskingFilter(odd, StandardCharsets.UTF_8).decorateLogger(null, sink)) {
            out.write(("x " + odd + " aXbbbc\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x **** aXbbbc\n");
    }

    @Test
    public void serializedFilterHoldsTheTokenOnlyInsideSecrets() throws Exception {
        TokenMaskingFilter filter = new TokenMaskingFilter(TOKEN, StandardCharsets.UTF_8);
        assertThat(ProgramState.serialize(filter)).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(40, 80));
    }

    @Test
    public void masksTokensItWasNotBuiltWithByTheirShape() throws Exception {
        assertThat(filter("+ curl -H 'Authorization: Bearer " + OTHER + "' https://x\n"))
                .isEqualTo("+ curl -H 'Authorization: Bearer ****' https://x\n");
        assertThat(filter("jwt=" + OTHER + "&next=1\n")).isEqualTo("jwt=****&next=1\n");
    }

    @Test
    public void masksBase64OfAnyTokenAsAWhole() throws Exception {
        for (String prefix : new String[] {"", "a", "ab", "abc", "{\"token\":\""}) {
            for (String suffix : new String[] {"", "\n", "\"}"}) {
                byte[] raw = (prefix + OTHER + suffix).getBytes(StandardCharsets.UTF_8);
                for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder(),
                        Base64.getEncoder().withoutPadding()}) {
                    String encoded = encoder.encodeToString(raw);
                    assertThat(filter("encoded: " + encoded + " end\n")).as("prefix '%s', suffix '%s'", prefix, suffix)
                            .isEqualTo("encoded: **** end\n");
                    // glued to other base64 text, at any of the four offsets
                    assertThat(filter("x" + encoded + "\n")).doesNotContain(encoded.substring(8, 40));
                }
            }
        }
    }

    @Test
    public void ordinaryLinesPassByteForByte() throws Exception {
        String[] lines = {
            "[INFO] BUILD SUCCESS",
            "+ git rev-parse HEAD\n3f786850e387550fdab836ed7e6dc881de23001b",
            "at io.jenkins.plugins.runidentity.core.RunIdentityEngine.refresh(RunIdentityEngine.java:193)",
            "Downloading from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/maven-surefire-plugin/3.2.5/maven-surefire-plugin-3.2.5.pom",
            "image: registry.example.com/team/app@sha256:9b2a5c4f3e1d0a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b",
            "base64 of text: " + Base64.getEncoder().encodeToString("just some ordinary configuration text, long enough".getBytes(StandardCharsets.UTF_8)),
            "{\"alg\":\"RS256\",\"kid\":\"abc\"} eyJhbGciOiJSUzI1NiJ9 is only a header",
            "version 1.2.3.4-SNAPSHOT of eyJfoo.bar.baz",
            "tab\tseparated\tvalues\r",
            "",
        };
        for (String line : lines) {
            byte[] in = (line + "\n").getBytes(StandardCharsets.UTF_8);
            assertThat(filterBytes(in)).as(line).isEqualTo(in);
        }
        byte[] notUtf8 = {'b', 'y', 't', 'e', 's', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, ' ', 'o', 'k', '\n'};
        assertThat(filterBytes(notUtf8)).isEqualTo(notUtf8);
        byte[] unterminated = "last line without a newline".getBytes(StandardCharsets.UTF_8);
        assertThat(filterBytes(unterminated)).isEqualTo(unterminated);
    }

    @Test
    public void hidesTokenLooksAtEveryOffset() {
        String encoded = Base64.getEncoder().encodeToString(("xyz" + OTHER).getBytes(StandardCharsets.UTF_8));
        for (int cut = 0; cut < 4; cut++) {
            assertThat(TokenMaskingFilter.hidesToken(encoded.substring(cut))).as("cut %s", cut).isTrue();
        }
        assertThat(TokenMaskingFilter.hidesToken(Base64.getEncoder().encodeToString(new byte[300]))).isFalse();
    }
}
