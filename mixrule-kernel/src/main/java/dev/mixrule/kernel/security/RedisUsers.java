package dev.mixrule.kernel.security;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis ACL users of the services, one place for the local stack, the tests and the deployment files
 * (docs/security.md, "Redis"): each user may touch only its own keys under the key prefix and run only
 * reads, writes, transactions (and, for the leaderboard, its change channel); never FLUSHALL, CONFIG, ACL,
 * KEYS or any other command Redis marks dangerous.
 *
 * <p>Key layout (read from leaderboard-store's keys and sampler-service's SamplerStore): the leaderboard owns
 * {@code entry:* summary:* rank:* metrics:* datasets pareto:* pareto-points:* stats:* experiments:* failed:*} and the
 * channel {@code changes}; the sampler owns {@code sampler:*}.
 */
public final class RedisUsers {
    public static final String LEADERBOARD = "leaderboard";
    public static final String SAMPLER = "sampler";
    public static final String DEFAULT_PREFIX = "mixrule:";
    static final List<String> LEADERBOARD_KEYS = List.of("entry:*", "summary:*", "rank:*", "metrics:*", "datasets", "pareto:*",
            "pareto-points:*", "stats:*", "experiments:*", "failed:*", "pending:*", "pending-index", "registry:*");
    static final List<String> COMMANDS = List.of("-@all", "+@read", "+@write", "+@transaction", "+@connection",
            "-@dangerous", "-flushall", "-flushdb", "-config", "-acl", "-keys");

    private RedisUsers() {}

    /** mixrule-leaderboard / mixrule-sampler for the default prefix, else with the prefix appended (mixrule-sampler-it-1a2b). */
    public static String user(String role, String prefix) {
        checkRole(role);
        String base = "mixrule-" + role;
        return DEFAULT_PREFIX.equals(prefix) ? base : base + "-" + prefix.replaceAll("[^A-Za-z0-9_-]", "");
    }

    /** The ACL SETUSER rules of a role: reset, on, the password, its keys, its channels, its commands. */
    public static List<String> rules(String role, String prefix, String password) {
        checkRole(role);
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("a Redis user needs a password");
        }
        List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + password));
        String p = escape(prefix);
        if (role.equals(SAMPLER)) {
            rules.add("~" + p + "sampler:*");
        } else {
            LEADERBOARD_KEYS.forEach(k -> rules.add("~" + p + k));
            rules.add("&" + p + "changes");
        }
        rules.addAll(COMMANDS);
        if (role.equals(LEADERBOARD)) {
            rules.add("+subscribe");
            rules.add("+unsubscribe");
            rules.add("+publish");
        }
        return rules;
    }

    /** The URL a service connects with: the base URL's host, port and database, with the role's user and password. */
    public static String url(String baseUrl, String role, String prefix, String password) {
        URI base = URI.create(baseUrl);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return base.getScheme() + "://" + user(role, prefix) + ":" + password + "@" + base.getHost() + ":"
                + (base.getPort() < 0 ? 6379 : base.getPort()) + path;
    }

    private static String escape(String prefix) {
        return prefix.replace("*", "\\*").replace("?", "\\?").replace("[", "\\[");
    }

    private static void checkRole(String role) {
        if (!role.equals(LEADERBOARD) && !role.equals(SAMPLER)) {
            throw new IllegalArgumentException("no Redis role '" + role + "'; known: leaderboard, sampler");
        }
    }
}
