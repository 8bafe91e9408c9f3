// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/** Test handler: records inbound messages and user events, in arrival order; lets exceptions through. */
final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> seen = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        seen.add(msg);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        seen.add(evt);
        ctx.fireUserEventTriggered(evt);
    }

    List<HandshakeCompletionEvent> events() {
        List<HandshakeCompletionEvent> events = new ArrayList<>();
        for (Object o : seen) {
            if (o instanceof HandshakeCompletionEvent) {
                events.add((HandshakeCompletionEvent) o);
            }
        }
        return events;
    }
}
