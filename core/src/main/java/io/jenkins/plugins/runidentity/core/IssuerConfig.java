package io.jenkins.plugins.runidentity.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * One issuer: the identity relying parties trust.
 *
 * @param id             {@code [a-z0-9][a-z0-9-]*}, at most 64 characters
 * @param url            the exact {@code iss} value; https (http only on a loopback host), no trailing slash,
 *                       query, fragment or user info. Its endpoints live below its path.
 * @param algorithm      the signing algorithm of its keys
 * @param rotationPeriod how long a key signs before the next one takes over
 */
public record IssuerConfig(String id, String url, SigningAlgorithm algorithm, Duration rotationPeriod) {
    public static final Duration DEFAULT_ROTATION = Duration.ofDays(30);

    public IssuerConfig {
        checkId("issuer", id);
        url = checkUrl(url);
        if (algorithm == null) {
            algorithm = SigningAlgorithm.RS256;
        }
        if (rotationPeriod == null) {
            rotationPeriod = DEFAULT_ROTATION;
        }
        if (rotationPeriod.compareTo(Duration.ofHours(1)) < 0) {
            throw new ConfigurationException("issuer '" + id + "': rotation period " + DurationFormat.format(rotationPeriod)
                    + " is shorter than the minimum of 1h");
        }
    }

    public static IssuerConfig of(String id, String url) {
        return new IssuerConfig(id, url, SigningAlgorithm.RS256, DEFAULT_ROTATION);
    }

    /** The path part of the issuer URL, below which its endpoints are served (may be empty). */
    public String path() {
        return URI.create(url).getRawPath();
    }

    static void checkId(String what, String id) {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new ConfigurationException(what + " id " + UserText.quote(id)
                    + " is not valid; use lower-case letters, digits and '-', starting with a letter or digit");
        }
    }

    /** Validates an issuer URL; returns it unchanged. */
    public static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigurationException("an issuer needs a URL");
        }
        checkHttpUrl("issuer URL " + UserText.quote(url), url);
        if (url.endsWith("/")) {
            throw new ConfigurationException("issuer URL " + UserText.quote(url)
                    + " must not end with '/'; relying parties compare the issuer string exactly");
        }
        return url;
    }

    /**
     * Checks that {@code url} is an absolute https URL (plain http only on a loopback host) without query, fragment
     * or user info; {@code subject} starts every message, e.g. {@code issuer URL 'x'}.
     */
    static void checkHttpUrl(String subject, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(subject + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ConfigurationException(subject + " must be an absolute https URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ConfigurationException(subject + " must not have a query, fragment or user info");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new ConfigurationException(subject + " must use https; plain http is only allowed on a loopback host such as 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a DNS name other than localhost: never resolve it here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
