package org.custody.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of custody-core (docs/architecture.md): values and crypto know nothing of records,
 * records nothing of the store, the custody rules never read the store, and no two packages need each other.
 */
class PackageBoundariesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.custody");

    @Test
    void packages_areFreeOfCycles() {
        slices().matching("org.custody.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void values_dependOnNoOtherCustodyPackage_butFailures() {
        noClasses().that().resideInAPackage("org.custody.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.crypto..", "org.custody.record..",
                        "org.custody.ledger..", "org.custody.rules..", "org.custody.checkpoint..", "org.custody.label..",
                        "org.custody.merkle..", "org.custody.audit..", "org.custody.files..")
                .check(CORE);
    }

    @Test
    void crypto_andMerkle_knowNothingOfRecordsOrTheStore() {
        noClasses().that().resideInAnyPackage("org.custody.crypto..", "org.custody.merkle..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.record..", "org.custody.ledger..",
                        "org.custody.rules..", "org.custody.checkpoint..", "org.custody.label..")
                .check(CORE);
    }

    @Test
    void records_knowNothingOfTheStoreRulesOrTransparency() {
        noClasses().that().resideInAPackage("org.custody.record..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.ledger..", "org.custody.rules..",
                        "org.custody.checkpoint..", "org.custody.label..", "org.custody.merkle..")
                .check(CORE);
    }

    @Test
    void rules_neverReadTheStore() {
        noClasses().that().resideInAPackage("org.custody.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.ledger..", "java.sql..")
                .check(CORE);
    }

    @Test
    void theStoreInterface_decidesNothing_andKnowsNoImplementation() {
        noClasses().that().resideInAPackage("org.custody.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.ledger..", "org.custody.rules..",
                        "org.custody.label..", "java.sql..", "org.sqlite..")
                .check(CORE);
    }

    @Test
    void theFacadeAndTheGate_reachTheStoreOnlyThroughItsInterface() {
        noClasses().that().haveFullyQualifiedName("org.custody.ledger.Gate")
                .or().haveFullyQualifiedName("org.custody.ledger.StoreState")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .orShould().dependOnClassesThat().haveSimpleName("SqliteStore")
                .check(CORE);
        noClasses().that().haveFullyQualifiedName("org.custody.ledger.Ledger")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .check(CORE);
    }

    @Test
    void onlyTheStoreTalksToSqlite() {
        noClasses().that().resideOutsideOfPackage("org.custody.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .check(CORE);
    }

    @Test
    void core_carriesNoServerTerminalOrImageCode() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "picocli..",
                "com.google.zxing..", "org.openpdf..", "com.lowagie..", "java.awt..", "javax.imageio..")
                .check(CORE);
    }
}
