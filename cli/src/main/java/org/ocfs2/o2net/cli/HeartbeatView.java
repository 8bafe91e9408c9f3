// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.util.Map;

/**
 * What {@code o2net status} shows of a node's heartbeat: the nodes it sees live and their generations (o2hb's
 * {@code hb_generation}, the nodes' incarnations), like {@code /sys/kernel/debug/o2hb/livenodes} plus the
 * generations.
 */
interface HeartbeatView {
    /** The live nodes, this one included, and their generations. */
    Map<Integer, Long> liveNodes();

    /** Where the heartbeat is, for example the region file and its geometry. */
    String describe();
}
