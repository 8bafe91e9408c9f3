// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The flame graph merges collapsed stacks into a tree and draws each frame as wide as its samples. */
class FlameGraphTest {
    private static final String STACKS = """
            java/lang/Thread.run;io/netty/Loop.run;org/ocfs2/o2net/core/PeerCore.receive 30
            java/lang/Thread.run;io/netty/Loop.run;epoll_wait_[k] 50
            java/lang/Thread.run;org/ocfs2/Caller.send<T> 20
            """;

    @Test
    void stacksMergeIntoOneTreeWithTheSamplesOfEveryStackThroughAFrame() {
        FlameGraph.Node root = FlameGraph.parse(STACKS);
        assertEquals(100, root.samples);
        FlameGraph.Node run = root.children.get("java/lang/Thread.run");
        assertEquals(100, run.samples);
        assertEquals(80, run.children.get("io/netty/Loop.run").samples);
        assertEquals(20, run.children.get("org/ocfs2/Caller.send<T>").samples);
        assertEquals(4, root.depth(), "all, Thread.run, Loop.run, its callee");
    }

    @Test
    void eachFrameIsAsWideAsItsSamplesAndTheSvgIsWellFormed() throws Exception {
        String svg = FlameGraph.svg("test", "samples", STACKS);
        DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        double full = FlameGraph.WIDTH - 2.0 * FlameGraph.MARGIN;
        assertEquals(full * 0.8, width(svg, "io/netty/Loop.run"), 0.1);
        assertEquals(full * 0.5, width(svg, "epoll_wait_[k]"), 0.1);
        assertEquals(full * 0.2, width(svg, "org/ocfs2/Caller.send&lt;T&gt;"), 0.1, "names escaped");
        assertTrue(svg.contains("test (100 samples)"), svg);
        assertEquals("#f0a050", FlameGraph.colour("epoll_wait_[k]"), "kernel");
        assertEquals("#80b1d3", FlameGraph.colour("io/netty/Loop.run"), "Netty");
        assertEquals("#7fc97f", FlameGraph.colour("org/ocfs2/o2net/core/PeerCore.receive"), "ours");
    }

    private static double width(String svg, String frame) {
        Matcher m = Pattern.compile(
                        "<title>" + Pattern.quote(frame) + " \\(\\d+ samples, [0-9.]+%\\)</title><rect x=\"[0-9.]+\""
                                + " y=\"[0-9.]+\" width=\"([0-9.]+)\"")
                .matcher(svg);
        assertTrue(m.find(), frame + " not drawn");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aLineWithoutACountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FlameGraph.parse("a;b;c\n"));
        assertThrows(IllegalArgumentException.class, () -> FlameGraph.parse("a;b x\n"));
    }
}
