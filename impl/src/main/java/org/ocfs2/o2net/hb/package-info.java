// SPDX-License-Identifier: MIT
/**
 * o2hb's disk heartbeat in Java: the kernel's {@code fs/ocfs2/cluster/heartbeat.c}, local mode, on a region that is
 * a plain file or a block device, speaking the kernel's on-disk format so that Java nodes and kernel nodes can
 * heartbeat on one region.
 * <p>
 * For a kernel developer, the map:
 * <ul>
 * <li>{@link org.ocfs2.o2net.hb.HeartbeatBlock}: {@code struct o2hb_disk_heartbeat_block} (layout drawn there),
 * {@code o2hb_prepare_block()}, {@code o2hb_compute_block_crc_le()}, {@code o2hb_verify_crc()};
 * {@link org.ocfs2.o2net.hb.Crc32Le} is {@code crc32_le()}.</li>
 * <li>{@link org.ocfs2.o2net.hb.HeartbeatRegion}: the region attributes {@code start_block}, {@code block_bytes},
 * {@code blocks} and the device, {@code o2hb_read_slots()} and {@code o2hb_issue_node_write()}; node N's slot is at
 * byte {@code (start_block + N) * block_bytes}.</li>
 * <li>{@link org.ocfs2.o2net.hb.HeartbeatCore}: {@code struct o2hb_disk_slot} and the decisions, with no I/O and no
 * clock: {@code o2hb_populate_slot_data()}, {@code o2hb_do_disk_heartbeat()}, {@code o2hb_check_own_slot()},
 * {@code o2hb_check_slot()} (live after {@code O2HB_LIVE_THRESHOLD} = 2 changed reads, dead after
 * {@code dead_threshold} unchanged ones, down then up on a new {@code hb_generation}), {@code o2hb_shutdown_slot()},
 * and the steady start of {@code o2hb_region_dev_store()}.</li>
 * <li>{@link org.ocfs2.o2net.hb.DiskHeartbeat}: {@code o2hb_thread()}: the timer, the I/O, the log lines, and the
 * node up/down callbacks ({@code o2hb_register_callback()}) as the {@link org.ocfs2.o2net.node.NodeLiveness} that
 * {@link org.ocfs2.o2net.node.O2netNode} takes. {@code hb_generation} is the node's incarnation in the reliable
 * protocol's v12 handshake.</li>
 * </ul>
 * Not here: global heartbeat mode (several regions, quorum regions, pinning), the configured-node map (every slot
 * is checked), self-fencing on a write timeout ({@code o2quo}), and the o2hb negotiation messages.
 */
package org.ocfs2.o2net.hb;
