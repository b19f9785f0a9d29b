package io.jenkins.plugins.runidentity.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an {@link EngineConfig} from a parsed document (YAML or JSON, as maps and lists) of the shape the Jenkins
 * plugin's Configuration-as-Code section has:
 *
 * <pre>
 * runIdentity:
 *   issuers:
 *     - id: default
 *       url: https://ci.example.com/run-identity/default
 *       algorithm: RS256          # or ES256
 *       rotationPeriod: 30d
 *   templates:
 *     - id: deploy
 *       description: Deploys to production
 *       audiences: [vault]
 *       scope: deploy read        # space-separated, or a list
 *       subject: job:${job}
 *       claims: {team: payments}
 *       defaultTtl: 10m
 *       maxTtl: 1h
 *       allowedJobs: ["payments/**"]
 *       allowedBranches: [main]
 *       issuers: [default]
 *       boundByRun: true          # cap exp at the run's deadline when known
 *   notBeforeBackdate: 30s
 *   leeway: 60s
 *   exchanges:
 *     - id: keycloak
 *       grant: client-credentials  # or token-exchange
 *       tokenEndpoint: https://sso.example.com/realms/ci/protocol/openid-connect/token
 *       revocationEndpoint: https://sso.example.com/realms/ci/protocol/openid-connect/revoke
 *       discovery: https://sso.example.com/realms/ci   # its issuer is the assertion's audience
 *       template: keycloak
 *       clientId: run-identity-ci
 *       scope: profile
 * </pre>
 *
 * Unknown settings are refused, so that a misspelt restriction is never silently ignored. Every error names the
 * setting's path, e.g. {@code runIdentity.templates[1].maxTtl}.
 */
public final class ConfigDocument {
    public static final String ROOT = "runIdentity";
    private static final Set<String> ROOT_KEYS = Set.of("issuers", "templates", "notBeforeBackdate", "leeway", "exchanges");
    private static final Set<String> ISSUER_KEYS = Set.of("id", "url", "algorithm", "rotationPeriod");
    private static final Set<String> TEMPLATE_KEYS = Set.of("id", "description", "audiences", "scope", "subject", "claims",
            "defaultTtl", "maxTtl", "allowedJobs", "allowedBranches", "issuers", "boundByRun");
    private static final Set<String> EXCHANGE_KEYS = Set.of("id", "grant", "tokenEndpoint", "clientId", "issuer", "template",
            "discovery", "assertionAudience", "assertionTtl", "scope", "audience", "revocationEndpoint", "clientSecret");

    private ConfigDocument() {}

    /**
     * @param document the whole parsed document; its top level must hold {@code runIdentity}
     * @throws ConfigurationException naming the setting at fault
     */
    public static EngineConfig read(Object document) {
        Map<String, Object> top = map(document, "the document");
        known(top, Set.of(ROOT), "the document");
        Map<String, Object> root = map(top.get(ROOT), ROOT);
        known(root, ROOT_KEYS, ROOT);
        List<IssuerConfig> issuers = entries(root, "issuers", ISSUER_KEYS, (m, at) -> {
            String alg = text(m.get("algorithm"), at + ".algorithm");
            return new IssuerConfig(text(m.get("id"), at + ".id"), text(m.get("url"), at + ".url"),
                    alg == null ? null : SigningAlgorithm.parse(alg), duration(m.get("rotationPeriod"), at + ".rotationPeriod"));
        });
        List<ScopeTemplate> templates = entries(root, "templates", TEMPLATE_KEYS, (m, at) -> {
            Map<String, String> claims = new LinkedHashMap<>();
            map(m.get("claims"), at + ".claims").forEach((k, v) -> claims.put(k, text(v, at + ".claims." + k)));
            return new ScopeTemplate(text(m.get("id"), at + ".id"), text(m.get("description"), at + ".description"),
                    words(m.get("audiences"), at + ".audiences"), words(m.get("scope"), at + ".scope"),
                    text(m.get("subject"), at + ".subject"), claims, duration(m.get("defaultTtl"), at + ".defaultTtl"),
                    duration(m.get("maxTtl"), at + ".maxTtl"), words(m.get("allowedJobs"), at + ".allowedJobs"),
                    words(m.get("allowedBranches"), at + ".allowedBranches"), words(m.get("issuers"), at + ".issuers"),
                    bool(m.get("boundByRun"), at + ".boundByRun"));
        });
        return new EngineConfig(issuers, templates, duration(root.get("notBeforeBackdate"), ROOT + ".notBeforeBackdate"),
                duration(root.get("leeway"), ROOT + ".leeway"), entries(root, "exchanges", EXCHANGE_KEYS, (m, at) -> {
                    String grant = text(m.get("grant"), at + ".grant");
                    return ExchangeProfile.builder(text(m.get("id"), at + ".id"))
                            .grant(grant == null ? null : ExchangeGrant.parse(grant))
                            .tokenEndpoint(text(m.get("tokenEndpoint"), at + ".tokenEndpoint"))
                            .clientId(text(m.get("clientId"), at + ".clientId")).issuer(text(m.get("issuer"), at + ".issuer"))
                            .template(text(m.get("template"), at + ".template")).discovery(text(m.get("discovery"), at + ".discovery"))
                            .assertionAudience(text(m.get("assertionAudience"), at + ".assertionAudience"))
                            .assertionTtl(duration(m.get("assertionTtl"), at + ".assertionTtl"))
                            .scope(String.join(" ", words(m.get("scope"), at + ".scope")))
                            .audience(text(m.get("audience"), at + ".audience"))
                            .revocationEndpoint(text(m.get("revocationEndpoint"), at + ".revocationEndpoint"))
                            .clientSecret(text(m.get("clientSecret"), at + ".clientSecret")).build();
                }));
    }

    /** Reads one entry of a list setting; {@code at} is its path, e.g. {@code runIdentity.templates[2]}. */
    private interface EntryReader<T> {
        T read(Map<String, Object> entry, String at);
    }

    /**
     * Reads the list setting {@code name}: each entry must be a mapping of known settings; any error is reported
     * with the entry's path in front.
     */
    private static <T> List<T> entries(Map<String, Object> root, String name, Set<String> keys, EntryReader<T> reader) {
        List<T> out = new ArrayList<>();
        List<Object> list = list(root.get(name), ROOT + "." + name);
        for (int i = 0; i < list.size(); i++) {
            String at = ROOT + "." + name + "[" + i + "]";
            Map<String, Object> m = map(list.get(i), at);
            known(m, keys, at);
            try {
                out.add(reader.read(m, at));
            } catch (IllegalArgumentException | ConfigurationException e) {
                throw new ConfigurationException(at + ": " + e.getMessage());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String at) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigurationException(at + " must be a mapping of settings");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new ConfigurationException(at + " has a setting whose name is not text");
            }
        }
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v, String at) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?>)) {
            throw new ConfigurationException(at + " must be a list");
        }
        return (List<Object>) v;
    }

    private static void known(Map<String, Object> m, Set<String> allowed, String at) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new ConfigurationException(at + ": unknown setting " + UserText.quote(k) + "; known settings: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    private static String text(Object v, String at) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw new ConfigurationException(at + " must be text");
    }

    /** A list of strings, or one string of space- or comma-separated words. */
    private static List<String> words(Object v, String at) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return Arrays.stream(s.trim().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        List<Object> l = list(v, at);
        for (int i = 0; i < l.size(); i++) {
            String w = text(l.get(i), at + "[" + i + "]");
            if (w == null || w.isBlank()) {
                throw new ConfigurationException(at + "[" + i + "] is empty; remove it or give it a value");
            }
            out.add(w);
        }
        return out;
    }

    private static boolean bool(Object v, String at) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigurationException(at + " must be true or false");
    }

    private static Duration duration(Object v, String at) {
        String s = text(v, at);
        if (s == null) {
            return null;
        }
        try {
            return DurationFormat.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(at + ": " + e.getMessage());
        }
    }
}
