// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The core tier's event logs: a spec trace replayed on two protocol cores ({@link CoreDriver}, node S = 2 calling
 * node R = 1) with a {@link LogRecorder} taking every event of the cores. Such a log went through the implementation
 * from a behaviour of the spec, so it must validate against the spec again: a round trip that checks the log tier
 * itself (recorder, projection, trace spec) on thousands of small, deterministic logs.
 */
public final class LogReplay {
    /** The core tier's nodes: S calls R. */
    public static final int S_NODE = 2;

    public static final int R_NODE = 1;

    private LogReplay() {}

    /**
     * Replays {@code trace} on a fresh {@link CoreDriver} and returns the log its cores recorded.
     *
     * @throws ConformanceFailure if the replay fails (the core tier's own verdict)
     */
    public static List<LogEvent> record(Trace trace) {
        return record(trace, ProtocolVersion.V12, 1);
    }

    /**
     * Replays {@code trace} on a fresh {@link CoreDriver} of two {@code version} cores (v13: announcing
     * {@code window}, for {@code AckO2net}'s traces) and returns the log its cores recorded.
     */
    public static List<LogEvent> record(Trace trace, ProtocolVersion version, int window) {
        JsonNode init = trace.steps().get(0).state();
        Abstraction names = new Abstraction(
                TlaValue.entries(init.get("callNo")).keySet(),
                TlaValue.entries(init.get("runs")).keySet());
        LogRecorder recorder = new LogRecorder(LogCodec.of(names));
        Replayer.replay(trace, new CoreDriver(version, window, Abstraction::status, recorder::record));
        return recorder.events();
    }

    /** The projection of a core-tier log on S calling R, named after the trace. */
    public static LogProjection.Projected project(String name, List<LogEvent> log) {
        return LogProjection.project(name, log, S_NODE, R_NODE);
    }

    /** The projection of a core-tier log on S calling R for the trace spec {@code spec}, named after the trace. */
    public static LogProjection.Projected project(String name, List<LogEvent> log, LogProjection.Spec spec) {
        return LogProjection.project(name, log, S_NODE, R_NODE, spec);
    }
}
