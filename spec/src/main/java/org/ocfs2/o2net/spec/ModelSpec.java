// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.util.List;

/**
 * One entry of the manifest {@code models.json}: a root module checked with one cfg file, and what TLC
 * must report for it.
 *
 * @param name            unique name, used in reports and the README table
 * @param module          root module, the file {@code tla/<module>.tla}
 * @param config          cfg file in {@code tla/}
 * @param set             {@code ci} (checked by {@code mvn verify}) or {@code deep} (long runs, on demand)
 * @param expect          the expected verdict
 * @param distinctStates  expected number of distinct states, null if not yet measured
 * @param statesGenerated expected number of states generated, null if not yet measured
 * @param depth           expected search depth for a pass, counterexample length for a violation, null if
 *                        not yet measured
 * @param tlcArgs         extra TLC arguments
 * @param note            free text shown in reports, may be null
 */
public record ModelSpec(
        String name,
        String module,
        String config,
        String set,
        Outcome expect,
        Long distinctStates,
        Long statesGenerated,
        Integer depth,
        List<String> tlcArgs,
        String note) {

    public ModelSpec {
        tlcArgs = List.copyOf(tlcArgs);
    }

    /** True if the model checks for deadlock: its cfg does not turn it off, nor does {@code -deadlock}. */
    public boolean checksDeadlock(CfgFile cfg) {
        return cfg.checkDeadlock() && !tlcArgs.contains("-deadlock");
    }
}
