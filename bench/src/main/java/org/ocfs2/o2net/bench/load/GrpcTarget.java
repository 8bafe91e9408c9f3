// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java unary calls, as a Java user would otherwise pick: a Netty server on loopback and one channel (one HTTP/2
 * connection, like o2net's one connection per pair) shared by every caller, blocking stubs, plaintext, default
 * executors on both sides (so the handler runs off the I/O thread, as o2net's does). The method carries raw bytes
 * (a pass-through marshaller, no protobuf); the response is the 4-byte status.
 */
public final class GrpcTarget implements Target {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> CALL = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("o2net.bench.Status", "Call"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private Server server;
    private ManagedChannel channel;

    @Override
    public String name() {
        return "gRPC-java unary";
    }

    @Override
    public void start() throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("o2net.bench.Status")
                .addMethod(CALL, ServerCalls.asyncUnaryCall((req, out) -> {
                    byte[] reply = new byte[4];
                    FloorTarget.putInt(reply, 0, Target.statusOf(req));
                    out.onNext(reply);
                    out.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(service)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
                .usePlaintext()
                .build();
        caller().call(new byte[8]); // connects
    }

    @Override
    public Caller caller() {
        return payload -> {
            return FloorTarget.getInt(ClientCalls.blockingUnaryCall(channel, CALL, CallOptions.DEFAULT, payload), 0);
        };
    }

    @Override
    public void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
