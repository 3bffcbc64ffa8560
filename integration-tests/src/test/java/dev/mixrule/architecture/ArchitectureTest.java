package dev.mixrule.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package structure of docs/architecture.md, checked on the compiled main classes of every
 * module: the kernel is free of DJL and of every framework, the science does not reach the services, the
 * services do not reach each other, and no two packages depend on each other in a cycle.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // under `mvn test` the modules are target/classes folders, under `mvn verify` (CI) their jars: read both
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mixrule");
        if (main.size() < 300) {
            throw new IllegalStateException("ArchitectureTest imported only " + main.size() + " classes of dev.mixrule");
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.mixrule.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theKernelUsesOnlyTheContractAndTheJdk() {
        classes().that().resideInAPackage("dev.mixrule.kernel..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.mixrule.kernel..", "dev.mixrule.proto..",
                        "java..", "javax.net..", "javax.crypto..", "com.google.protobuf..", "com.google.gson..", "io.grpc..",
                        "org.bouncycastle.math.ec.rfc8032..")
                .because("every service may load the kernel: no DJL, no Quarkus, no Kafka, no Redis in it (gRPC's API is"
                        + " the contract's own: proto/ generates stubs on it; Bouncy Castle's Ed25519 signs and checks records)")
                .check(main);
    }

    @Test
    void theScienceKnowsNoFrameworkAndNoService() {
        noClasses().that().resideInAPackage("dev.mixrule.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.apache.kafka..",
                        "redis.clients..", "io.grpc..", "dev.mixrule.sampler..", "dev.mixrule.trainer..",
                        "dev.mixrule.evaluator..", "dev.mixrule.leaderboard..", "dev.mixrule.cli..")
                .check(main);
    }

    @Test
    void onlyTrainersEvaluatorsAndTheClientLoadTheScience() {
        noClasses().that().resideInAnyPackage("dev.mixrule.sampler..", "dev.mixrule.leaderboard..", "dev.mixrule.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.mixrule.core..", "ai.djl..")
                .because("the sampler and the leaderboard never train: they load the kernel, not DJL")
                .check(main);
    }

    @Test
    void servicesDoNotReachIntoEachOther() {
        String[] services = {"dev.mixrule.sampler..", "dev.mixrule.trainer..", "dev.mixrule.evaluator..",
                "dev.mixrule.leaderboard"};
        for (String s : services) {
            String[] others = java.util.Arrays.stream(services).filter(o -> !o.equals(s)).toArray(String[]::new);
            noClasses().that().resideInAPackage(s).should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services meet only through proto/ (Kafka topics and gRPC)").check(main);
        }
    }

    @Test
    void theBenchmarksUseOnlyPublicApisAndTheCliDoesNotDependOnThem() {
        noClasses().that().resideInAPackage("dev.mixrule.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.mixrule.bench..")
                .check(main);
    }

    /** NDArray methods that copy values to the host, which waits for the device to finish its queued work. */
    private static final java.util.Set<String> READ_BACKS = java.util.Set.of("toArray", "toFloatArray", "toDoubleArray",
            "toIntArray", "toLongArray", "toByteArray", "toBooleanArray", "toUint8Array", "toByteBuffer", "getFloat",
            "getDouble", "getInt", "getLong", "getBoolean", "getByte", "getUint8", "contentEquals", "toDevice",
            "toDebugString", "toString");

    @Test
    void theTrainingPathReadsDeviceValuesBackOnlyThroughReadBacks() {
        noClasses().that().resideInAnyPackage("dev.mixrule.core.training..", "dev.mixrule.core.rules..",
                        "dev.mixrule.core.model..")
                .and().doNotHaveFullyQualifiedName("dev.mixrule.core.training.ReadBacks")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "an NDArray read-back (" + String.join(", ", new java.util.TreeSet<>(READ_BACKS)) + ")",
                        call -> READ_BACKS.contains(call.getName())
                                && call.getTargetOwner().isAssignableTo("ai.djl.ndarray.NDArray")))
                .because("a read-back inside a training step makes the host wait for the GPU every step; the training"
                        + " path reads back through ReadBacks, which ReadBacksTest counts (once per epoch)")
                .check(main);
    }
}
