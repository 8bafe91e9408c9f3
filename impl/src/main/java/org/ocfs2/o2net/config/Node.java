// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One cluster node, as o2nm knows it: number, name, IPv4 address and port. Immutable.
 */
public final class Node {
    /** {@code O2NM_MAX_NODES}: node numbers run from 0 to 254. */
    public static final int MAX_NODES = 255;
    /** {@code O2NM_INVALID_NODE_NUM}. */
    public static final int INVALID_NODE_NUM = 255;
    /** {@code O2NM_MAX_NAME_LEN}. */
    public static final int MAX_NAME_LEN = 64;

    private final int number;
    private final String name;
    private final Inet4Address address;
    private final int port;
    private final InetSocketAddress socketAddress;

    private Node(int number, String name, Inet4Address address, int port) {
        this.number = number;
        this.name = name;
        this.address = address;
        this.port = port;
        this.socketAddress = new InetSocketAddress(address, port);
    }

    /**
     * Returns a node.
     *
     * @param number  0..254
     * @param name    1..64 characters, no whitespace, no '/'
     * @param address dotted-quad IPv4 literal, no host name lookup is done
     * @param port    1..65535
     * @throws IllegalArgumentException if a value is out of range; the message quotes it
     */
    public static Node of(int number, String name, String address, int port) {
        return new Node(checkNumber(number), checkName(name), parseIpv4(address), checkPort(port));
    }

    /** Returns a node; as {@link #of(int, String, String, int)} with the address already parsed. */
    public static Node of(int number, String name, Inet4Address address, int port) {
        return new Node(checkNumber(number), checkName(name), requireNonNull(address, "address"), checkPort(port));
    }

    /** Returns the node number, 0..254. */
    public int number() {
        return number;
    }

    public String name() {
        return name;
    }

    public Inet4Address address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** Returns the address and port to listen on or connect to. */
    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    /** Returns {@code "a.b.c.d:port"}. */
    public String endpoint() {
        return address.getHostAddress() + ':' + port;
    }

    static int checkNumber(int number) {
        if (number < 0 || number >= MAX_NODES) {
            throw new IllegalArgumentException("node number " + number + " is out of range 0.." + (MAX_NODES - 1)
                    + (number == INVALID_NODE_NUM ? " (255 is O2NM_INVALID_NODE_NUM)" : ""));
        }
        return number;
    }

    static String checkName(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_NAME_LEN) {
            throw new IllegalArgumentException(
                    "node name '" + name + "' must be 1.." + MAX_NAME_LEN + " characters long, not " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/') {
                throw new IllegalArgumentException(
                        "node name '" + name + "' contains whitespace, a control " + "character or '/'");
            }
        }
        return name;
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        return port;
    }

    /**
     * Parses a dotted-quad IPv4 literal ({@code "10.0.0.1"}); each part is 1 to 3 decimal digits, at most 255.
     *
     * @throws IllegalArgumentException if {@code text} is not such a literal
     */
    public static Inet4Address parseIpv4(String text) {
        requireNonNull(text, "address");
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not a dotted-quad IPv4 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not a dotted-quad IPv4 address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a dotted-quad IPv4 address (" + v + " > 255)");
            }
            bytes[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a bad array length
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Node)) {
            return false;
        }
        Node n = (Node) o;
        return number == n.number && port == n.port && name.equals(n.name) && address.equals(n.address);
    }

    @Override
    public int hashCode() {
        return ((number * 31 + name.hashCode()) * 31 + address.hashCode()) * 31 + port;
    }

    @Override
    public String toString() {
        return "node " + name + " (num " + number + ") at " + endpoint();
    }
}
