package org.custody.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of custody-core (docs/architecture.md): values and crypto know nothing of records,
 * records nothing of the store, the custody rules never read the store, and no two packages need each other.
 */
class PackageBoundariesTest {
    /** What the ledger's parts may use of its facade package. */
    private static final java.util.Set<String> API_VALUES =
            java.util.Set.of("Head", "Appended", "AppendRefusedException", "LedgerStoreException");

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
    void theLedgersOwnPackages_areFreeOfCycles() {
        // the facade (org.custody.ledger) sits above them; gate < sqlite < postgres < verify < bundle
        slices().matching("org.custody.ledger.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theFacadeAndTheGate_reachTheStoreOnlyThroughItsInterface() {
        noClasses().that().resideInAPackage("org.custody.ledger.gate..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..", "org.postgresql..",
                        "com.zaxxer..", "org.custody.ledger.sqlite..", "org.custody.ledger.postgres..",
                        "org.custody.ledger.verify..", "org.custody.ledger.bundle..")
                .check(CORE);
        noClasses().that().resideInAPackage("org.custody.ledger")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .check(CORE);
    }

    @Test
    void theStore_neitherVerifiesNorBundles() {
        noClasses().that().resideInAnyPackage("org.custody.ledger.sqlite..", "org.custody.ledger.postgres..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.ledger.verify..", "org.custody.ledger.bundle..")
                .check(CORE);
        noClasses().that().resideInAPackage("org.custody.ledger.verify..")
                .should().dependOnClassesThat().resideInAPackage("org.custody.ledger.bundle..")
                .check(CORE);
    }

    @Test
    void theLedgersParts_useOnlyTheValuesOfItsApi() {
        // the parts produce the API's values (an append's result, its refusal, the head, a store failure);
        // nothing else of the facade package, which sits above them
        noClasses().that().resideInAnyPackage("org.custody.ledger.gate..", "org.custody.ledger.sqlite..",
                        "org.custody.ledger.postgres..", "org.custody.ledger.verify..", "org.custody.ledger.bundle..")
                .should().dependOnClassesThat(DescribedPredicate.describe("the ledger facade package beyond its values",
                        c -> c.getPackageName().equals("org.custody.ledger") && !API_VALUES.contains(c.getSimpleName())))
                .check(CORE);
    }

    @Test
    void onlyTheStoresAndTheirReaders_talkToADatabase() {
        // the SQLite and PostgreSQL stores write and read the ledger; the verifier and the bundle and evidence exports read it
        noClasses().that().resideOutsideOfPackages("org.custody.ledger.sqlite..", "org.custody.ledger.postgres..",
                        "org.custody.ledger.verify..", "org.custody.ledger.bundle..")
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
