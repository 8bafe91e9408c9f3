// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The main job's HTML report, assembled from what this build left (the models part written by the spec module's
 * model check, the conformance and kernel-lab results, BENCHMARKS.md), rendered by headless Chromium from a file URL in
 * a network namespace of its own (so nothing can be fetched from anywhere): it must load with no console error, every
 * finding with its chart, every in-page link resolving; a screenshot goes to {@code target/report.png}.
 */
class ReportInBrowserTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path ROOT = MODULE.getParent();
    private static final Path PAGE = MODULE.resolve("target/report/index.html");
    private static String chromium;
    /** How to start a process in a network namespace of its own: as root, or in a user namespace otherwise. */
    private static List<String> isolated;

    @BeforeAll
    static void setup() throws Exception {
        Process p = new ProcessBuilder(MODULE.resolve("bin/chromium-setup").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("bin/chromium-setup failed:\n" + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("CHROMIUM=")) {
                chromium = line.substring(9).trim();
            }
        }
        assertTrue(chromium != null, "bin/chromium-setup printed no CHROMIUM=: " + out);
        for (List<String> prefix :
                List.of(List.of("unshare", "--net"), List.of("unshare", "--user", "--map-root-user", "--net"))) {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            Process u = new ProcessBuilder(probe).redirectErrorStream(true).start();
            u.getInputStream().readAllBytes();
            if (u.waitFor() == 0) {
                isolated = prefix;
                break;
            }
        }
        assertTrue(
                isolated != null,
                "cannot make a network namespace (unshare --net as root, or unshare --user --map-root-user --net):"
                        + " Chromium must run where it can reach nothing");
        Path models = ROOT.resolve("spec/target/report/models.html");
        assertTrue(
                Files.exists(models),
                models + " is missing: the spec module's model check writes it; run the whole build (mvn -B verify)");
        Files.createDirectories(PAGE.getParent());
        Files.writeString(PAGE, org.ocfs2.o2net.spec.HtmlReport.page(ROOT), StandardCharsets.UTF_8);
    }

    /** Chromium's command: headless, in a new network namespace, no first-run or background work. */
    private static List<String> chromium(String... args) {
        return chromium(PAGE, args);
    }

    /** Chromium's command for {@code page}. */
    private static List<String> chromium(Path page, String... args) {
        List<String> cmd = new ArrayList<>(isolated);
        cmd.addAll(List.of(
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-proxy-server",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + MODULE.resolve("target/chromium-profile"),
                "--enable-logging=stderr",
                "--v=0"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        return cmd;
    }

    /** Runs {@code cmd}: {stdout, stderr}. */
    private static String[] run(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("Chromium did not finish in 120 s: " + String.join(" ", cmd));
            }
            String stderr = Files.readString(err);
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + stderr);
            return new String[] {out, stderr};
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The lines of Chromium's log that say the page did not load cleanly. */
    private static List<String> pageErrors(String stderr) {
        List<String> bad = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            // Chromium logs a console message as "...:INFO:CONSOLE:1] "text", source: ..." (older ones
            // "...:CONSOLE(1)] ..."); the page has no script, so any console message is an error
            if (line.contains(":CONSOLE")
                    || line.contains("Uncaught")
                    || line.contains("ERR_FILE_NOT_FOUND")
                    || line.contains("Failed to load resource")
                    || line.contains("net::ERR_")) {
                bad.add(line);
            }
        }
        return bad;
    }

    @Test
    void theReportLoadsWithoutErrorsWithEveryChartAndEveryLinkResolving() throws Exception {
        String[] r = run(chromium("--dump-dom"));
        String dom = r[0];
        assertTrue(pageErrors(r[1]).isEmpty(), "console or load errors: " + pageErrors(r[1]));
        assertTrue(dom.contains("</html>") || dom.contains("</body>"), "a whole document: " + dom.length() + " chars");
        for (String id : List.of("models", "findings", "conformance", "kernel", "benchmarks")) {
            assertTrue(dom.contains("id=\"" + id + "\""), "section " + id);
        }
        int findings = count(dom, "<div class=\"finding\"");
        assertTrue(findings >= 5, "the findings of the CI models: " + findings);
        assertTrue(count(dom, "<svg") >= findings, "a chart per finding: " + count(dom, "<svg") + " of " + findings);
        assertTrue(dom.contains("MCO2netNoRetry") && dom.contains("AckConformanceTest"), "the models and the suites");
        Set<String> ids = new HashSet<>();
        Matcher id = Pattern.compile("id=\"([^\"]+)\"").matcher(dom);
        while (id.find()) {
            ids.add(id.group(1));
        }
        Matcher href = Pattern.compile("href=\"#([^\"]+)\"").matcher(dom);
        int links = 0;
        while (href.find()) {
            assertTrue(ids.contains(href.group(1)), "a link to #" + href.group(1) + " that nothing has");
            links++;
        }
        assertTrue(links >= 5 + findings, "the navigation and a link per finding: " + links);
        assertTrue(!dom.contains("src=\"http") && !dom.contains("href=\"http"), "nothing to fetch");
        assertTrue(!dom.contains("<script"), "no script");
        Matcher ref = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(dom);
        while (ref.find()) {
            String target = ref.group(1);
            assertTrue(!target.contains(":") || target.startsWith("data:"), "only local files and data: " + target);
            if (!target.startsWith("data:")) {
                assertTrue(Files.exists(PAGE.getParent().resolve(target)), "a reference to a missing file: " + target);
            }
        }
    }

    @Test
    void aScreenshotShowsThePage() throws Exception {
        Path png = MODULE.resolve("target/report.png");
        Files.deleteIfExists(png);
        String[] r = run(chromium("--screenshot=" + png, "--window-size=1280,1600", "--hide-scrollbars"));
        assertTrue(pageErrors(r[1]).isEmpty(), "console or load errors: " + pageErrors(r[1]));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "a PNG at " + png);
        assertEquals(1280, image.getWidth());
        assertEquals(1600, image.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "a rendered page, not a blank one: " + colours.size() + " colours");
    }

    /** The console check can fail: a page that writes to the console is caught. */
    @Test
    void aPageThatWritesToTheConsoleIsCaught() throws Exception {
        Path bad = MODULE.resolve("target/console-check/index.html");
        Files.createDirectories(bad.getParent());
        Files.writeString(
                bad, "<!DOCTYPE html><html><body><p>x</p><script>console.error('seeded')</script></body></html>\n");
        String[] r = run(chromium(bad, "--dump-dom"));
        assertTrue(
                pageErrors(r[1]).stream().anyMatch(l -> l.contains("seeded")),
                "the seeded console error is not seen in Chromium's log:\n" + r[1]);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
