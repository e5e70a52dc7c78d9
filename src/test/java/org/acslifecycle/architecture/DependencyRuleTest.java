package org.acslifecycle.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The arrows point inward: the lifecycle core knows nothing of Azure, AMQP, JDBC or the adapters. */
class DependencyRuleTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.acslifecycle");

    @Test
    void coreDependsOnNoInfrastructure() {
        noClasses().that().resideInAPackage("org.acslifecycle.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.azure..", "org.apache.qpid..", "io.vertx..", "io.netty..", "java.sql..", "javax.sql..",
                        "org.flywaydb..", "com.zaxxer..", "org.h2..", "org.postgresql..", "picocli..", "reactor..")
                .check(PRODUCTION);
    }

    @Test
    void coreDependsOnNoAdapter() {
        noClasses().that().resideInAPackage("org.acslifecycle.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.acslifecycle.app..", "org.acslifecycle.ledger..", "org.acslifecycle.identity..",
                        "org.acslifecycle.messaging..", "org.acslifecycle.emulators..")
                .check(PRODUCTION);
    }

    @Test
    void emulatorsAreIndependentOfTheWorker() {
        noClasses().that().resideInAPackage("org.acslifecycle.emulators..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.acslifecycle.core..", "org.acslifecycle.ledger..", "org.acslifecycle.identity..",
                        "org.acslifecycle.messaging..", "org.acslifecycle.app..")
                .allowEmptyShould(true)
                .check(PRODUCTION);
    }
}
