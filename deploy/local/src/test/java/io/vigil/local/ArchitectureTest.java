package io.vigil.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module and package boundaries as rules over the compiled production classes of every module. A
 * change that breaks one fails here with the offending dependency named. Maven already refuses a
 * dependency on an undeclared module; these rules pin what each module may declare.
 */
class ArchitectureTest {
    private static JavaClasses vigil;

    @BeforeAll
    static void importClasses() {
        vigil =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        // Test fixtures shared between modules come as -tests.jar files.
                        .withImportOption(location -> !location.contains("-tests.jar"))
                        .importPackages("io.vigil");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.vigil.(**)").should().beFreeOfCycles().check(vigil);
    }

    @Test
    void modulesDependOnlyDownwards() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("schemas")
                .definedBy("io.vigil.schemas..")
                .layer("common")
                .definedBy("io.vigil.common..")
                .layer("convert")
                .definedBy("io.vigil.convert..")
                .layer("vision")
                .definedBy("io.vigil.vision..")
                .layer("index")
                .definedBy("io.vigil.index..")
                .layer("watchlist")
                .definedBy("io.vigil.watchlist..")
                .layer("ingest")
                .definedBy("io.vigil.ingest..")
                .layer("job")
                .definedBy("io.vigil.job..")
                .layer("console")
                .definedBy("io.vigil.console..")
                .layer("tools")
                .definedBy("io.vigil.tools..")
                .layer("local")
                .definedBy("io.vigil.local..")
                .whereLayer("local")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("tools")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("console")
                .mayOnlyBeAccessedByLayers("local")
                .whereLayer("job")
                .mayOnlyBeAccessedByLayers("local")
                .whereLayer("ingest")
                .mayOnlyBeAccessedByLayers("local")
                .whereLayer("watchlist")
                .mayOnlyBeAccessedByLayers("job", "console", "tools", "local")
                .whereLayer("index")
                .mayOnlyBeAccessedByLayers("watchlist", "job", "console", "tools", "local")
                .whereLayer("vision")
                .mayOnlyBeAccessedByLayers("watchlist", "job", "console", "tools", "local")
                .whereLayer("convert")
                .mayOnlyBeAccessedByLayers("tools")
                .whereLayer("common")
                .mayOnlyBeAccessedByLayers(
                        "ingest", "watchlist", "job", "console", "tools", "local")
                .check(vigil);
    }

    @Test
    void onlyTheJobAndTheLocalStackUseFlink() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.vigil.job..", "io.vigil.local..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..")
                .check(vigil);
    }

    @Test
    void visionIsPlainJavaWithoutKafkaOrFlink() {
        noClasses()
                .that()
                .resideInAPackage("io.vigil.vision..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "org.apache.flink..", "io.vigil.common..")
                .check(vigil);
    }

    @Test
    void theIndexKnowsNeitherModelsNorKafka() {
        noClasses()
                .that()
                .resideInAPackage("io.vigil.index..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.onnxruntime..", "org.apache.kafka..", "org.apache.flink..")
                .check(vigil);
    }

    @Test
    void theRuntimeNeverConvertsModels() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.vigil.tools..", "io.vigil.convert..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.vigil.convert..")
                .check(vigil);
    }

    @Test
    void onlyTheCommandLinesUsePicocli() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.vigil.tools..", "io.vigil.local..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(vigil);
    }
}
