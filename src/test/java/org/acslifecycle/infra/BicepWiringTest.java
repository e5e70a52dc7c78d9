package org.acslifecycle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Bicep compiler runs here, so this checks the wiring a compiler would: every module call passes only
 * parameters the module declares and every one it requires; every {@code x.outputs.y} names an output module
 * {@code x} has; every parameters file sets only parameters main.bicep declares, and all it requires.
 * It reads the templates as text in the layout they are written in (one declaration a line, two-space indent).
 */
class BicepWiringTest {

    private static final Path INFRA = Path.of("infra");
    private static final Pattern PARAM = Pattern.compile("(?m)^param\\s+(\\w+)\\s+\\w+(\\s*=)?");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^output\\s+(\\w+)\\s");
    private static final Pattern MODULE = Pattern.compile("(?m)^module\\s+(\\w+)\\s+'([^']+)'");
    private static final Pattern OUTPUT_USE = Pattern.compile("\\b(\\w+)\\.outputs\\.(\\w+)");
    private static final Pattern PARAM_SET = Pattern.compile("(?m)^param\\s+(\\w+)\\s*=");

    @Test
    void everyModuleCallMatchesTheModulesParameters() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ModuleCall> call : moduleCalls().entrySet()) {
            Declarations module = declarations(INFRA.resolve(call.getValue().path()));
            Set<String> passed = call.getValue().params();
            for (String name : passed) {
                if (!module.params().containsKey(name)) {
                    problems.add(call.getKey() + " passes " + name + ", which " + call.getValue().path() + " does not declare");
                }
            }
            module.params().forEach((name, hasDefault) -> {
                if (!hasDefault && !passed.contains(name)) {
                    problems.add(call.getKey() + " does not pass " + name + ", which " + call.getValue().path() + " requires");
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOutputUsedExistsInItsModule() {
        Map<String, ModuleCall> calls = moduleCalls();
        List<String> problems = new ArrayList<>();
        Matcher use = OUTPUT_USE.matcher(read(INFRA.resolve("main.bicep")));
        while (use.find()) {
            ModuleCall call = calls.get(use.group(1));
            if (call == null) {
                problems.add(use.group() + ": no module " + use.group(1));
            } else if (!declarations(INFRA.resolve(call.path())).outputs().contains(use.group(2))) {
                problems.add(use.group() + ": " + call.path() + " has no output " + use.group(2));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyParametersFileFitsMainBicep() throws IOException {
        Declarations main = declarations(INFRA.resolve("main.bicep"));
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(INFRA.resolve("parameters"))) {
            List<Path> paramFiles = files.filter(f -> f.toString().endsWith(".bicepparam")).sorted().toList();
            assertThat(paramFiles).extracting(f -> f.getFileName().toString()).contains("dev.bicepparam", "prod.bicepparam");
            for (Path file : paramFiles) {
                String text = read(file);
                assertThat(text).as(file + " names its template").contains("using '../main.bicep'");
                Set<String> set = names(PARAM_SET, text);
                set.stream().filter(name -> !main.params().containsKey(name))
                        .forEach(name -> problems.add(file + " sets " + name + ", which main.bicep does not declare"));
                main.params().forEach((name, hasDefault) -> {
                    if (!hasDefault && !set.contains(name)) {
                        problems.add(file + " does not set " + name + ", which main.bicep requires");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyModuleFileIsUsed() throws IOException {
        Set<String> used = new TreeSet<>();
        moduleCalls().values().forEach(call -> used.add(call.path()));
        try (Stream<Path> files = Files.list(INFRA.resolve("modules"))) {
            assertThat(files.map(f -> "modules/" + f.getFileName())).allMatch(used::contains);
        }
    }

    // ---- reading the templates

    private record ModuleCall(String path, Set<String> params) {}

    /** A module file's parameters (name → has a default) and outputs. */
    private record Declarations(Map<String, Boolean> params, Set<String> outputs) {}

    private static Map<String, ModuleCall> moduleCalls() {
        String main = read(INFRA.resolve("main.bicep"));
        Map<String, ModuleCall> calls = new LinkedHashMap<>();
        Matcher module = MODULE.matcher(main);
        while (module.find()) {
            calls.put(module.group(1), new ModuleCall(module.group(2), passedParams(main, module.end())));
        }
        assertThat(calls).isNotEmpty();
        return calls;
    }

    /** The keys of the {@code params: { ... }} block after {@code from}: the lines indented by four spaces. */
    private static Set<String> passedParams(String main, int from) {
        int start = main.indexOf("\n  params: {\n", from);
        int end = main.indexOf("\n  }\n", start);
        assertThat(start).as("params block after offset %d", from).isPositive();
        Set<String> keys = new TreeSet<>();
        for (String line : main.substring(start, end).split("\n")) {
            Matcher key = Pattern.compile("^    (\\w+):").matcher(line);
            if (key.find()) {
                keys.add(key.group(1));
            }
        }
        return keys;
    }

    private static Declarations declarations(Path file) {
        String text = read(file);
        Map<String, Boolean> params = new LinkedHashMap<>();
        Matcher param = PARAM.matcher(text);
        while (param.find()) {
            params.put(param.group(1), param.group(2) != null);
        }
        return new Declarations(params, names(OUTPUT, text));
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
