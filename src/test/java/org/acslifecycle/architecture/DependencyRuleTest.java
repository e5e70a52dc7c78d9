package org.acslifecycle.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each package's dependencies as designed (DESIGN §8), as an allow-list: the arrows point inward to the core;
 * the adapters (ledger, identity, messaging, execution) know the core (and tracing) and nothing of each other; the two
 * emulators know nothing of the worker or of each other, except that the resources (ACS, Service Bus) trust the
 * Entra ID emulator's tokens and share its TLS helper; only app, the composition root, knows everything.
 */
class DependencyRuleTest {

    private static final String ROOT = "org.acslifecycle";
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** {@code within} may depend on project code only in {@code allowed} (and third-party code freely). */
    private static void projectDependencies(String within, String... allowed) {
        List<String> packages = new ArrayList<>(List.of(allowed));
        packages.add(within);
        classes().that().resideInAPackage(ROOT + "." + within + "..")
                .should().onlyDependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                        .resideOutsideOfPackage(ROOT + "..")
                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                packages.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new))))
                .check(PRODUCTION);
    }

    @Test
    void theCoreDependsOnTheJdkJsonAndLoggingOnly() {
        classes().that().resideInAPackage(ROOT + ".core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".core..", "java..",
                        "com.fasterxml.jackson..", "org.slf4j..")
                .check(PRODUCTION);
    }

    @Test
    void eachAdapterKnowsTheCoreAndNoOtherAdapter() {
        projectDependencies("ledger", "core");
        projectDependencies("identity", "core", "tracing");
        projectDependencies("messaging", "core", "tracing");
        projectDependencies("execution", "core", "tracing");
    }

    /** Spans and W3C trace context for the adapters that carry a trace on: the core's text form, no adapter. */
    @Test
    void tracingKnowsOnlyTheCore() {
        projectDependencies("tracing", "core");
    }

    @Test
    void theEmulatorsKnowNothingOfTheWorkerNorOfEachOther() {
        projectDependencies("emulators.tls");
        projectDependencies("emulators.entra", "emulators.tls");
        projectDependencies("emulators.acs", "emulators.entra", "emulators.tls");
        projectDependencies("emulators.servicebus", "emulators.entra");
    }

    @Test
    void nothingButTheCompositionRootKnowsApp() {
        classes().that().resideOutsideOfPackage(ROOT + ".app..").and().resideInAPackage(ROOT + "..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackage(ROOT + ".app..")
                .check(PRODUCTION);
    }
}
