package org.custody.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The command line and the server are adapters over custody-core's API, like any embedder: neither reaches into
 * the ledger's internals (its gate and its SQLite store, public only to the ledger's own packages and left out of
 * core's javadoc).
 */
class CoreApiUseTest {
    private static final JavaClasses ADAPTERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.custody.cli", "org.custody.server");

    @Test
    void theAdapters_useNoInternalOfTheLedger() {
        assertFalse(ADAPTERS.stream().noneMatch(c -> c.getPackageName().equals("org.custody.server")),
                "the server's classes are on the CLI's classpath");
        noClasses().that().resideInAnyPackage("org.custody.cli..", "org.custody.server..")
                .should().dependOnClassesThat().resideInAnyPackage("org.custody.ledger.gate..", "org.custody.ledger.sqlite..")
                .check(ADAPTERS);
    }
}
