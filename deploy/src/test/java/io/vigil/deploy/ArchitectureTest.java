package io.vigil.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module and package boundaries as rules over the compiled classes of every module: where Flink and
 * Kafka may appear, and which modules may use which. A rule broken by a change fails here with the
 * offending dependency named.
 */
class ArchitectureTest {
    private static JavaClasses vigil;

    @BeforeAll
    static void importClasses() {
        vigil =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.vigil");
    }

    @Test
    void faceAnalysisAndModelsUseNeitherFlinkNorKafka() {
        noClasses()
                .that()
                .resideInAnyPackage("io.vigil.processing.face..", "io.vigil.processing.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(vigil);
    }

    @Test
    void onlyTheJobItsTrackingAndTheLocalStackUseFlink() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.vigil.processing.job..",
                        "io.vigil.processing.track..",
                        "io.vigil.deploy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..")
                .check(vigil);
    }

    @Test
    void theConsoleDoesNotDependOnTheJob() {
        noClasses()
                .that()
                .resideInAPackage("io.vigil.console..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vigil.processing.job..", "org.apache.flink..")
                .check(vigil);
    }

    @Test
    void theIndexAndIngestStandAlone() {
        noClasses()
                .that()
                .resideInAPackage("io.vigil.matching..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vigil.processing..",
                        "io.vigil.ingest..",
                        "io.vigil.console..",
                        "io.vigil.deploy..")
                .check(vigil);
        noClasses()
                .that()
                .resideInAPackage("io.vigil.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vigil.processing..",
                        "io.vigil.matching..",
                        "io.vigil.console..",
                        "io.vigil.deploy..")
                .check(vigil);
    }

    @Test
    void nothingDependsOnTheLocalLauncherModule() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.vigil.deploy..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vigil.deploy..")
                .check(vigil);
    }
}
