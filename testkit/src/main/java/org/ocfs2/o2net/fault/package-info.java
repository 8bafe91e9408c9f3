/**
 * Seeded fault schedules for property tests of the reliable o2net: plain data that can be generated, printed,
 * parsed, replayed and shrunk. This is the project's own property-testing support; no property-testing library is
 * used.
 * <ul>
 * <li>{@link org.ocfs2.o2net.fault.Fault}: one event (a workload call, or a fault: reset, restart, node down,
 * pause, held frames); {@link org.ocfs2.o2net.fault.FaultKind} names the kinds.</li>
 * <li>{@link org.ocfs2.o2net.fault.FaultSchedule}: a cluster size and a list of events, with the text form below.
 * </li>
 * <li>{@link org.ocfs2.o2net.fault.ScheduleGenerator}: a schedule from a seed and a
 * {@link org.ocfs2.o2net.fault.GeneratorConfig}, deterministically.</li>
 * <li>{@link org.ocfs2.o2net.fault.Shrinker}: a minimal failing schedule from a failing one.</li>
 * <li>{@link org.ocfs2.o2net.fault.PropertyCheck}: runs a property over many seeds, shrinks the first failure and
 * reports it; it reads the system properties {@code o2net.seeds}, {@code o2net.seed}, {@code o2net.schedule} and
 * {@code o2net.shrinkRuns}.</li>
 * </ul>
 *
 * <h2>Text form</h2>
 * A header line, then one line per event:
 * <pre>
 * seed=42 nodes=3
 * 0 call 1-&gt;2 x4      # node 1 starts 4 concurrent calls to node 2
 * 1 hold 0-&gt;1 x3      # the next 3 frames from node 0 to node 1 are held back
 * 2 reset 0-2         # the TCP connection between nodes 0 and 2 is reset
 * 3 down 1            # the heartbeat layer declares node 1 dead
 * 3 restart 1         # node 1 restarts with a new incarnation
 * 4 pause 150ms       # 150 ms pass
 * </pre>
 * Grammar, tokens separated by spaces or tabs:
 * <pre>
 * header  = "seed=" LONG " nodes=" INT          (either order; both required; nodes 2..255)
 * event   = STEP " call "    A "-&gt;" B " x" COUNT
 *         | STEP " reset "   A "-" B             (either order; printed lower first)
 *         | STEP " restart " N
 *         | STEP " down "    N
 *         | STEP " pause "   MILLIS "ms"
 *         | STEP " hold "    A "-&gt;" B " x" FRAMES
 * </pre>
 * STEP is 0 or more and never decreases from one event to the next; node numbers are below {@code nodes}, and the
 * two nodes of an event differ; COUNT, MILLIS and FRAMES are 1 or more. Entries are separated by newlines or
 * {@code ';'} (so a schedule fits in one {@code -Do2net.schedule='seed=42 nodes=3; 2 reset 0-2'} option), leading
 * and trailing blanks are ignored, {@code '#'} starts a comment, and empty entries are skipped.
 * {@link org.ocfs2.o2net.fault.FaultSchedule#format()} writes the canonical form, one event per line, and
 * {@link org.ocfs2.o2net.fault.FaultSchedule#parse(String)} reads it back to an equal schedule; a malformed text
 * gives a {@link org.ocfs2.o2net.fault.ScheduleFormatException} naming the line and what was expected.
 *
 * <h2>Adding an event kind</h2>
 * Add a record to {@link org.ocfs2.o2net.fault.Fault} (its fields, validation, {@code format}, {@code simpler},
 * {@code nodes}, {@code mapNodes}, {@code withStep}), a constant to {@link org.ocfs2.o2net.fault.FaultKind} (keyword
 * and argument shape), a parse case in {@code ScheduleText}, and a generation case in
 * {@link org.ocfs2.o2net.fault.ScheduleGenerator} with a default weight in
 * {@link org.ocfs2.o2net.fault.GeneratorConfig}.
 */
package org.ocfs2.o2net.fault;
