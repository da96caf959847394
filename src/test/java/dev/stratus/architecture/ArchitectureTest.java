package dev.stratus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.stratus.architecture.fixture.KubernetesOutsideTheOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of ARCHITECTURE.md, enforced. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.stratus");
    }

    @Test
    void coreImportsNoFramework() {
        noClasses().that().resideInAPackage("dev.stratus.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.quarkus..", "io.fabric8..", "io.javaoperatorsdk..", "ai.onnxruntime..",
                        "io.vertx..", "jakarta..", "io.micrometer..", "com.fasterxml.jackson..", "io.smallrye..",
                        "org.jboss..", "picocli..")
                .because("core is pure Java: models, ports and algorithms only").check(classes);
    }

    @Test
    void coreDependsOnNothingOutsideCore() {
        noClasses().that().resideInAPackage("dev.stratus.core..").should().dependOnClassesThat(
                com.tngtech.archunit.base.DescribedPredicate.describe("Stratus classes outside core",
                        c -> c.getPackageName().startsWith("dev.stratus")
                                && !c.getPackageName().startsWith("dev.stratus.core")))
                .check(classes);
    }

    @Test
    void onlyTheOnnxAdapterImportsOnnxRuntime() {
        noClasses().that().resideOutsideOfPackage("dev.stratus.dataplane.worker.onnx..").should()
                .dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .because("ONNX Runtime is reached through the InferenceEngine port").check(classes);
    }

    static final ArchRule ONLY_OPERATOR_IMPORTS_KUBERNETES = noClasses().that()
            .resideOutsideOfPackage("dev.stratus.operator..").should().dependOnClassesThat()
            .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..")
            .because("Kubernetes is reached through the ports; the operator package is the adapter");

    @Test
    void onlyTheOperatorImportsKubernetesClients() {
        ONLY_OPERATOR_IMPORTS_KUBERNETES.check(classes);
    }

    /** The rule is not vacuous: on a class outside the operator that imports fabric8, it fails and names it. */
    @Test
    void theOperatorRuleCatchesAViolation() {
        JavaClasses violating = new ClassFileImporter().importClasses(KubernetesOutsideTheOperator.class);
        AssertionError e = assertThrows(AssertionError.class, () -> ONLY_OPERATOR_IMPORTS_KUBERNETES.check(violating));
        assertTrue(e.getMessage().contains(KubernetesOutsideTheOperator.class.getName())
                && e.getMessage().contains("io.fabric8.kubernetes.api.model.Pod"), e.getMessage());
    }

    @Test
    void dataplaneDoesNotDependOnWiringOrCli() {
        noClasses().that().resideInAnyPackage("dev.stratus.dataplane..", "dev.stratus.catalog..",
                "dev.stratus.backend..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.stratus.app..", "dev.stratus.cli..").check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.stratus.(**)").should().beFreeOfCycles().check(classes);
    }
}
