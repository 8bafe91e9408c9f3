// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The property table of the top-level README.md (between {@code <!-- property-table:begin -->} and
 * {@code <!-- property-table:end -->}) is the one generated from models.json and the cfg files.
 * Skipped while README.md, its markers or the table between them are missing.
 */
class ReadmeTableTest {

    @Test
    void readmeShowsTheGeneratedTable() throws IOException {
        Path readme = Path.of("..", "README.md");
        assumeTrue(Files.exists(readme), "no README.md yet");
        Optional<String> section = PropertyTable.section(Files.readString(readme));
        assumeTrue(section.isPresent(), "README.md has no property-table markers yet");
        assumeTrue(
                !section.get().isBlank(),
                "README.md's property table is empty: run bin/o2net-check --write-readme-table");
        Manifest manifest = Manifest.read(Path.of("models.json"));
        String table = PropertyTable.markdown(PropertyTable.recorded(manifest, Path.of("tla")));
        assertEquals(
                table,
                section.get(),
                "README.md's property table is not the generated one: run bin/o2net-check --write-readme-table");
    }
}
