package dev.mixrule.kernel.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUsersTest {
    @Test
    void eachUserGetsOnlyItsOwnKeysAndNoDangerousCommands() {
        List<String> sampler = RedisUsers.rules(RedisUsers.SAMPLER, "mixrule:", "pw");
        assertEquals(List.of("reset", "on", ">pw", "~mixrule:sampler:*"), sampler.subList(0, 4));
        assertTrue(sampler.stream().noneMatch(r -> r.startsWith("&")), "the sampler needs no channel");
        List<String> board = RedisUsers.rules(RedisUsers.LEADERBOARD, "a*b:", "pw");
        assertTrue(board.contains("~a\\*b:entry:*") && board.contains("&a\\*b:changes"), board.toString());
        assertTrue(board.stream().noneMatch(r -> r.contains("sampler")), board.toString());
        for (List<String> rules : List.of(sampler, board)) {
            assertTrue(rules.containsAll(List.of("-@dangerous", "-flushall", "-config", "-acl")), rules.toString());
            assertTrue(rules.indexOf("-@dangerous") > rules.indexOf("+@write"), "dangerous commands removed after the grants");
        }
        assertThrows(IllegalArgumentException.class, () -> RedisUsers.rules("trainer", "mixrule:", "pw"));
        assertThrows(IllegalArgumentException.class, () -> RedisUsers.rules(RedisUsers.SAMPLER, "mixrule:", " "));
    }

    @Test
    void namesAndUrlsFollowThePrefix() {
        assertEquals("mixrule-sampler", RedisUsers.user(RedisUsers.SAMPLER, "mixrule:"));
        assertEquals("mixrule-leaderboard-it-1a2b", RedisUsers.user(RedisUsers.LEADERBOARD, "it-1a2b:"));
        assertEquals("redis://mixrule-sampler:pw@10.0.0.2:6380/0",
                RedisUsers.url("redis://admin:secret@10.0.0.2:6380/0", RedisUsers.SAMPLER, "mixrule:", "pw"));
        assertEquals("redis://mixrule-sampler:pw@localhost:6379", RedisUsers.url("redis://localhost", RedisUsers.SAMPLER, "mixrule:", "pw"));
    }

    @Test
    void withoutAKeyStoreAServiceStartsOnlyInDevelopmentModeAndSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChannelSecurity.check("s", false, Optional.empty(), Optional.of("t"), true));
        assertTrue(e.getMessage().contains("QUARKUS_GRPC_SERVER_SSL_KEY_STORE") && e.getMessage().contains("MIXRULE_INSECURE"));
        assertThrows(IllegalStateException.class, () -> ChannelSecurity.check("s", false, Optional.of("k.p12"), Optional.empty(), true));
        assertEquals(null, ChannelSecurity.check("s", false, Optional.of("k.p12"), Optional.empty(), false));
        assertTrue(ChannelSecurity.check("s", true, Optional.empty(), Optional.empty(), true).startsWith("WARNING"));
    }
}
