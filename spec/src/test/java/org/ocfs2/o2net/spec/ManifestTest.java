// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Manifest TOY = read(ToyModelsTest.TOY.resolve("models.json"));

    private static Manifest read(Path file) {
        try {
            return Manifest.read(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(List<ModelSpec> models) {
        return models.stream().map(ModelSpec::name).toList();
    }

    @Test
    void readsEveryField() {
        ModelSpec lasso = TOY.models().stream()
                .filter(m -> m.name().equals("ToyLasso"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                new ModelSpec(
                        "ToyLasso",
                        "Toy",
                        "ToyLasso.cfg",
                        "deep",
                        Outcome.property("EachResets"),
                        18L,
                        37L,
                        6,
                        List.of("-lncheck", "final"),
                        null),
                lasso);
        ModelSpec init = TOY.models().get(2);
        assertEquals("ToyInit", init.name());
        assertNull(init.distinctStates());
        assertEquals("TLC prints no state counts when the initial state violates an invariant", init.note());
    }

    @Test
    void selectsBySetAndName() {
        assertEquals(
                List.of("ToyPass", "ToyInvariant", "ToyInit", "ToyAction", "ToyRefines", "ToyDeadlock", "ToyLong"),
                names(TOY.select("ci", List.of())));
        assertEquals(
                List.of("ToyLasso", "ToyStutter", "ToyTwoProperties", "ToyParseError"),
                names(TOY.select("deep", List.of())));
        assertEquals(11, TOY.select("all", List.of()).size());
        assertEquals(List.of("ToyPass", "ToyLasso"), names(TOY.select("all", List.of("ToyLasso", "ToyPass"))));
        assertEquals(List.of(), names(TOY.select("ci", List.of("ToyLasso"))));
        assertThrows(IllegalArgumentException.class, () -> TOY.select("nightly", List.of()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TOY.select("all", List.of("ToyPass", "Nope")));
        assertTrue(e.getMessage().endsWith(": Nope"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'\"distinctState\": 3'              | unknown field \"distinctState\"",
                "'\"expect\": \"invariant\"'         | expect must be pass, deadlock, invariant:NAME or property:NAME",
                "'\"set\": \"nightly\"'              | set must be \"ci\" or \"deep\"",
                "'\"tlcArgs\": [\"-continue\"]'      | tlcArgs must not contain -continue",
                "'\"tlcArgs\": \"-deadlock\"'        | tlcArgs must be an array of strings",
                "'\"depth\": -1'                     | \"depth\" must be a non-negative integer or null",
                "'\"depth\": 1.5'                    | \"depth\" must be a non-negative integer or null",
                "'\"module\": \"\"'                  | \"module\" must be a non-empty string",
            })
    void rejectsEntriesOffTheSchema(String field, String message, @TempDir Path dir) throws IOException {
        ObjectNode entry = (ObjectNode) JSON.readTree(
                "{\"name\": \"M\", \"module\": \"MCM\", \"config\": \"M.cfg\", \"set\": \"ci\", \"expect\": \"pass\"}");
        entry.setAll((ObjectNode) JSON.readTree("{" + field + "}"));
        Path file = dir.resolve("models.json");
        Files.writeString(file, "{\"models\": [" + entry + "]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.read(file));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsDuplicateNames(@TempDir Path dir) throws IOException {
        String entry = "{\"name\": \"M\", \"module\": \"MCM\", \"config\": \"M.cfg\", \"set\": \"ci\","
                + " \"expect\": \"pass\"}";
        Path file = dir.resolve("models.json");
        Files.writeString(file, "{\"models\": [" + entry + ", " + entry + "]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifest.read(file));
        assertTrue(e.getMessage().endsWith("duplicate name"), e.getMessage());
    }

    @Test
    void recordRewritesOnlyTheFigures(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("models.json");
        Files.writeString(file, """
                {
                  "models": [
                    {
                      "note": "first on purpose",
                      "name": "A",
                      "depth": 1,
                      "module": "MCA",
                      "config": "A.cfg",
                      "set": "ci",
                      "expect": "deadlock",
                      "statesGenerated": null
                    },
                    {
                      "name": "B",
                      "module": "MCB",
                      "config": "B.cfg",
                      "set": "deep",
                      "expect": "pass",
                      "distinctStates": 1,
                      "statesGenerated": 2,
                      "depth": 3,
                      "tlcArgs": ["-lncheck", "final"]
                    }
                  ]
                }
                """);
        Manifest manifest = Manifest.read(file);
        manifest.record("A", new TlcResult(Outcome.DEADLOCK, 11, 5L, 9L, 4, null, "", Duration.ZERO, null));
        manifest.write();
        assertEquals("""
                {
                  "models": [
                    {
                      "note": "first on purpose",
                      "name": "A",
                      "depth": 4,
                      "module": "MCA",
                      "config": "A.cfg",
                      "set": "ci",
                      "expect": "deadlock",
                      "statesGenerated": 9,
                      "distinctStates": 5
                    },
                    {
                      "name": "B",
                      "module": "MCB",
                      "config": "B.cfg",
                      "set": "deep",
                      "expect": "pass",
                      "distinctStates": 1,
                      "statesGenerated": 2,
                      "depth": 3,
                      "tlcArgs": [
                        "-lncheck",
                        "final"
                      ]
                    }
                  ]
                }
                """, Files.readString(file));
        assertEquals(5L, Manifest.read(file).models().get(0).distinctStates());
    }
}
