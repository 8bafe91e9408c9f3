// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Model-checks the models of {@code models.json} with TLC, one test per model, and fails when a
 * verdict or a state count differs from the manifest. By default the models of set {@code ci};
 * {@code -Dtlc.set=ci|deep|all} and {@code -Dtlc.models=A,B} select others. Prints the report table
 * at the end. While no model is selected, the one test is skipped.
 */
class ModelCheckTest {

    private static final List<Check> CHECKS = Collections.synchronizedList(new ArrayList<>());
    private static ModelRunner runner;

    @TestFactory
    Stream<DynamicTest> models() throws IOException {
        Manifest manifest = Manifest.read(Path.of("models.json"));
        String set = System.getProperty("tlc.set", "ci");
        List<ModelSpec> models = manifest.select(set, Manifest.parseNames(System.getProperty("tlc.models", "")));
        if (models.isEmpty()) {
            String why = "no models of set " + set + " in models.json yet";
            return Stream.of(dynamicTest("no models", () -> abort(why)));
        }
        runner = new ModelRunner(Path.of("tla"), RunSettings.fromSystemProperties(Path.of("target/tlc")));
        List<CompletableFuture<Check>> futures = runner.start(models);
        return IntStream.range(0, models.size())
                .mapToObj(i -> dynamicTest(models.get(i).name(), () -> {
                    Check check = futures.get(i).join();
                    CHECKS.add(check);
                    assertTrue(check.ok(), () -> Report.explain(check));
                }));
    }

    @AfterAll
    static void printReport() {
        if (runner != null) {
            runner.close();
        }
        if (!CHECKS.isEmpty()) {
            System.out.println("\nTLC models:\n" + Report.full(CHECKS));
            // the models part of the HTML report, as the main job writes it (module report assembles the page)
            List<Check> inOrder = new ArrayList<>(CHECKS);
            try {
                Manifest manifest = Manifest.read(Path.of("models.json"));
                List<String> order =
                        manifest.models().stream().map(ModelSpec::name).toList();
                inOrder.sort(java.util.Comparator.comparingInt(
                        c -> order.indexOf(c.model().name())));
                System.out.println(
                        "The models part of the HTML report: " + HtmlReport.writeModels(inOrder, Path.of("target")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
