package io.jenkins.plugins.runidentity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.Test;

public class ParsersTest {

    @Test
    public void durationsInEveryAcceptedForm() {
        Object[][] cases = {
            {"90s", Duration.ofSeconds(90)}, {"10m", Duration.ofMinutes(10)}, {"1h30m", Duration.ofMinutes(90)},
            {"2d", Duration.ofDays(2)}, {"1d2h3m4s", Duration.ofSeconds(93784)}, {"PT10M", Duration.ofMinutes(10)},
            {" 5m ", Duration.ofMinutes(5)},
        };
        for (Object[] c : cases) {
            assertThat(DurationFormat.parse((String) c[0])).as((String) c[0]).isEqualTo(c[1]);
        }
        assertThat(DurationFormat.format(Duration.ofSeconds(93784))).isEqualTo("1d2h3m4s");
        assertThat(DurationFormat.parse(DurationFormat.format(Duration.ofSeconds(3599)))).isEqualTo(Duration.ofSeconds(3599));
    }

    @Test
    public void badDurationsAreRefusedWithTheTextQuoted() {
        String[] bad = {"", " ", "10", "1x", "m", "-5m", "0s", "PT0S", "PT-1M", "1.5h", "PT0.5S", "10m10h", "99999999999s",
            "3651d", "1h 30m", "1m\u00001", "P"};
        for (String b : bad) {
            assertThatThrownBy(() -> DurationFormat.parse(b)).as(b).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> DurationFormat.parse("1x")).hasMessageContaining("'1x'").hasMessageContaining("10m");
    }

    @Test
    public void templateFormats() {
        TemplateFormat f = TemplateFormat.parse("job:${job}:b:${branch}:$$x");
        assertThat(f.variables()).containsExactly("job", "branch");
        assertThat(f.render(Map.of("job", "a/${branch}", "branch", "main"))).isEqualTo("job:a/${branch}:b:main:$x");
        assertThatThrownBy(() -> f.render(Map.of("job", "a"))).hasMessage("${branch}");
        for (String bad : new String[] {"${", "${job", "$", "a$b", "${Job}", "${}", "${a-b}", "${ job}"}) {
            assertThatThrownBy(() -> TemplateFormat.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    public void globs() {
        Object[][] cases = {
            {"**", "a/b/c", true}, {"*", "a", true}, {"*", "a/b", false}, {"team/*", "team/app", true},
            {"team/*", "team/app/main", false}, {"team/**", "team/app/main", true}, {"team/**", "other/app", false},
            {"release-?", "release-1", true}, {"release-?", "release-10", false}, {"a.b", "aXb", false},
            {"a+b", "a+b", true}, {"[ab]", "a", false}, {"[ab]", "[ab]", true},
        };
        for (Object[] c : cases) {
            assertThat(Glob.compile((String) c[0]).matches((String) c[1])).as(c[0] + " ~ " + c[1]).isEqualTo(c[2]);
        }
        assertThat(Glob.compile("**").matches(null)).isFalse();
        assertThatThrownBy(() -> Glob.compile("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void userTextIsBoundedAndCannotForgeLines() {
        assertThat(UserText.quote("a\nb\u0000c")).isEqualTo("'a\\u000ab\\u0000c'");
        assertThat(UserText.quote("x".repeat(500))).hasSizeLessThan(120).contains("500 chars");
        assertThat(UserText.quote(null)).isEqualTo("(none)");
    }
}
