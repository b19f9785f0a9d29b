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

    private static String filter(String text) throws IOException, InterruptedException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new TokenMaskingFilter(TOKEN, StandardCharsets.UTF_8).decorateLogger(null, sink)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return sink.toString(StandardCharsets.UTF_8);
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
}
