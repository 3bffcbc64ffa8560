package dev.mixrule.kernel.security;

import java.util.Optional;

/**
 * The start-up rule of a gRPC service: TLS is on unless plain-text development mode (mixrule.insecure,
 * MIXRULE_INSECURE=1) is chosen; a service without a key store and without that mode refuses to start.
 */
public final class ChannelSecurity {
    public static final String INSECURE_ENV = "MIXRULE_INSECURE";

    private ChannelSecurity() {}

    /**
     * Checks the settings; returns the warning to print in development mode, or null when all is secure.
     *
     * @throws IllegalStateException with what to set, when TLS or a needed token is missing outside development mode
     */
    public static String check(String service, boolean insecure, Optional<String> keyStore, Optional<String> token,
                               boolean tokenNeeded) {
        if (insecure) {
            return "WARNING: " + service + " runs in PLAIN-TEXT DEVELOPMENT MODE (mixrule.insecure / " + INSECURE_ENV
                    + "=1): gRPC is not encrypted" + (token.isEmpty() ? " and calls are not authenticated" : "")
                    + "; never use this outside a development machine";
        }
        if (keyStore.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalStateException(service + ": gRPC TLS is on by default but no key store is set: set "
                    + "quarkus.grpc.server.ssl.key-store (QUARKUS_GRPC_SERVER_SSL_KEY_STORE) and its password "
                    + "(./mixrule up does this from <run dir>/secrets), or " + INSECURE_ENV + "=1 for plain-text development");
        }
        if (tokenNeeded && token.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalStateException(service + ": calls that change state need a bearer token but none is set: "
                    + "set mixrule.api.token (MIXRULE_API_TOKEN; ./mixrule up does this from <run dir>/secrets)");
        }
        return null;
    }

    /** Whether the environment asks for plain-text development mode (MIXRULE_INSECURE=1/true/yes). */
    public static boolean insecureFromEnv() {
        String v = System.getenv(INSECURE_ENV);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
