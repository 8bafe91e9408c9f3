// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeTest {
    @Test
    void holdsItsFields() {
        Node n = Node.of(254, "node254", "10.0.0.254", 7777);
        assertEquals(254, n.number());
        assertEquals("node254", n.name());
        assertArrayEquals(new byte[] {10, 0, 0, (byte) 254}, n.address().getAddress());
        assertEquals(7777, n.port());
        assertEquals(new InetSocketAddress("10.0.0.254", 7777), n.socketAddress());
        assertEquals("10.0.0.254:7777", n.endpoint());
        assertEquals("node node254 (num 254) at 10.0.0.254:7777", n.toString());
        assertEquals(n, Node.of(254, "node254", n.address(), 7777));
        assertEquals(n.hashCode(), Node.of(254, "node254", "10.0.0.254", 7777).hashCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 255, 256, Integer.MAX_VALUE})
    void numberOutOfRange(int number) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Node.of(number, "n", "10.0.0.1", 7777));
        assertTrue(e.getMessage().contains("node number " + number + " is out of range 0..254"), e.getMessage());
    }

    @Test
    void numberZeroAndMaxAreValid() {
        assertEquals(0, Node.of(0, "n", "10.0.0.1", 1).number());
        assertEquals(254, Node.of(254, "n", "10.0.0.1", 65535).number());
    }

    @Test
    void invalidNodeNumberIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Node.of(255, "n", "10.0.0.1", 7777));
        assertTrue(e.getMessage().contains("O2NM_INVALID_NODE_NUM"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void portOutOfRange(int port) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Node.of(1, "n", "10.0.0.1", port));
        assertTrue(e.getMessage().contains("port " + port), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "has space",
                "tab\there",
                "a/b",
                "x12345678901234567890123456789012345678901234567890" + "12345678901234"
            })
    void badNames(String name) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Node.of(1, name, "10.0.0.1", 7777));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void nameOfSixtyFourCharactersIsValid() {
        String name = "n".repeat(64);
        assertEquals(name, Node.of(1, name, "10.0.0.1", 7777).name());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.256",
                "a.b.c.d",
                "1..2.3",
                " 1.2.3.4",
                "1.2.3.-4",
                "1.2.3.4 ",
                "0001.2.3.4",
                "localhost",
                "::1",
                "1.2.3.4:80",
                ""
            })
    void badAddresses(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Node.parseIpv4(address));
        assertTrue(e.getMessage().contains("'" + address + "'"), e.getMessage());
    }

    @Test
    void goodAddresses() {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Node.parseIpv4("0.0.0.0").getAddress());
        assertArrayEquals(
                new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255},
                Node.parseIpv4("255.255.255.255").getAddress());
        assertArrayEquals(
                new byte[] {127, 0, 0, 1}, Node.parseIpv4("127.000.0.01").getAddress());
    }
}
