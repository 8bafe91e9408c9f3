// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.nio.charset.StandardCharsets;

/**
 * How a log names calls: the call a request's payload carries, and the call whose handler returns a given status (the
 * spec's handlers return {@code HandlerStatus(x) == x}, so a status names its call). The workload decides both; a
 * payload or status that names no call gets a name no call has, so that it matches nothing.
 */
public interface LogCodec {
    /** The call {@code payload} carries. */
    String call(byte[] payload);

    /** The call whose handler returns {@code status}. */
    String callOfStatus(int status);

    /**
     * The codec of {@link TraceCluster}: a payload is a call's number in ASCII decimal and the handler returns that
     * number.
     */
    LogCodec NUMBERED = new LogCodec() {
        @Override
        public String call(byte[] payload) {
            return new String(payload, StandardCharsets.US_ASCII);
        }

        @Override
        public String callOfStatus(int status) {
            return Integer.toString(status);
        }
    };

    /** The codec of the core tier's replays: a payload is the call's spec text, a status {@link Abstraction#status}. */
    static LogCodec of(Abstraction abstraction) {
        return new LogCodec() {
            @Override
            public String call(byte[] payload) {
                return Abstraction.callOf(payload);
            }

            @Override
            public String callOfStatus(int status) {
                return abstraction.callOfStatus(status);
            }
        };
    }
}
