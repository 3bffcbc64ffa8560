package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust file: parsed with errors that name the line, applied to a real registry (Redis) without taking names over. */
class TrustFileTest {
    @TempDir
    Path dir;

    private KeyPair key(String name) throws Exception {
        KeyPair k = RecordSignatures.generate();
        Files.writeString(dir.resolve(name + ".pub"), RecordSignatures.publicPem(k.getPublic()));
        return k;
    }

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("trust.conf"), text);
    }

    @Test
    void registersPrincipalsRolesAndEvaluatorNamesAndReportsNamesOwnedByAnother() throws Exception {
        KeyPair trainer = key("trainer");
        KeyPair evaluator = key("evaluator");
        KeyPair intruder = key("intruder");
        TrustFile t = TrustFile.read(file("""
                # principal role key evaluators
                trainer    trainer    trainer.pub

                evaluator  evaluator  evaluator.pub  accuracy,robustness
                """));
        assertEquals(2, t.lines().size());
        try (LeaderboardStore store = new LeaderboardStore(TestRedis.url(), "test-trust-" + UUID.randomUUID() + ":")) {
            try {
                ProvenanceRegistry r = store.registry();
                r.addPrincipal("intruder", intruder.getPublic(), false);
                assertEquals("intruder", r.registerEvaluator("robustness", "intruder"));
                List<String> conflicts = t.applyTo(r);
                assertEquals(1, conflicts.size(), conflicts.toString());
                assertTrue(conflicts.get(0).contains("'robustness' belongs to principal 'intruder'"), conflicts.get(0));
                assertTrue(r.isTrainer("trainer"));
                assertFalse(r.isTrainer("evaluator"));
                assertEquals(List.of(trainer.getPublic()), r.publicKeys("trainer"));
                assertEquals(List.of(evaluator.getPublic()), r.publicKeys("evaluator"));
                assertEquals("evaluator", r.evaluatorOwner("accuracy").orElseThrow());
                assertEquals("intruder", r.evaluatorOwner("robustness").orElseThrow(), "a name is never taken over");
                assertEquals(conflicts, t.applyTo(r), "applying again changes nothing");
                assertEquals(1, r.publicKeys("trainer").size());
            } finally {
                store.deleteAll();
            }
        }
    }

    @Test
    void errorsNameTheLineAndWhatIsWrong() throws Exception {
        key("trainer");
        var e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("trainer boss trainer.pub\n")));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("'boss'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("# ok\ntrainer trainer missing.pub\n")));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("missing.pub"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("Trainer trainer trainer.pub\n")));
        assertTrue(e.getMessage().contains("principal name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("trainer trainer trainer.pub accuracy\n")));
        assertTrue(e.getMessage().contains("trainer line names no evaluators"), e.getMessage());
        Files.writeString(dir.resolve("bad.pub"), "not a key");
        e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("x evaluator bad.pub\n")));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("public key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustFile.read(file("# nothing\n")));
        assertTrue(e.getMessage().contains("names no principal"), e.getMessage());
    }
}
