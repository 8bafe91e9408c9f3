// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private network for a local cluster: one network namespace per node ({@code <prefix>n<N>}, address
 * {@code 10.213.0.N/24} on a veth), their peers on a bridge in a hub namespace ({@code <prefix>hub}). Nothing is
 * routed out of it: the namespaces have no other interface. A partition between two nodes is a blackhole route to
 * each other in both namespaces (silent: packets vanish, no RST), removed to heal it. Needs root ({@code ip netns},
 * {@code ip link}); {@link #close} deletes every namespace it made, and with them the veths.
 */
final class Netns implements AutoCloseable {
    private final String prefix;
    private final int nodes;
    private final List<String> made = new ArrayList<>();

    private Netns(String prefix, int nodes) {
        this.prefix = prefix;
        this.nodes = nodes;
    }

    /** Creates the namespaces, the bridge and a veth per node. */
    static Netns create(String prefix, int nodes) {
        Netns n = new Netns(prefix, nodes);
        try {
            n.ip("netns", "add", n.hub());
            n.made.add(n.hub());
            n.in(n.hub(), "ip", "link", "add", "br0", "type", "bridge");
            n.in(n.hub(), "ip", "link", "set", "br0", "up");
            for (int i = 1; i <= nodes; i++) {
                String ns = n.namespace(i);
                n.ip("netns", "add", ns);
                n.made.add(ns);
                String a = prefix + "n" + i + "a";
                String b = prefix + "n" + i + "b";
                n.ip("link", "add", a, "type", "veth", "peer", "name", b);
                n.ip("link", "set", a, "netns", ns);
                n.ip("link", "set", b, "netns", n.hub());
                n.in(ns, "ip", "addr", "add", address(i) + "/24", "dev", a);
                n.in(ns, "ip", "link", "set", a, "up");
                n.in(ns, "ip", "link", "set", "lo", "up");
                n.in(n.hub(), "ip", "link", "set", b, "master", "br0");
                n.in(n.hub(), "ip", "link", "set", b, "up");
            }
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** Node {@code i}'s address inside its namespace. */
    static String address(int i) {
        return "10.213.0." + i;
    }

    String namespace(int i) {
        return prefix + "n" + i;
    }

    private String hub() {
        return prefix + "hub";
    }

    /** The command prefix that runs a program in node {@code i}'s namespace. */
    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Cuts nodes {@code a} and {@code b} off from each other, both ways. */
    void partition(int a, int b) {
        in(namespace(a), "ip", "route", "add", "blackhole", address(b) + "/32");
        in(namespace(b), "ip", "route", "add", "blackhole", address(a) + "/32");
    }

    /** Heals {@link #partition}. */
    void heal(int a, int b) {
        in(namespace(a), "ip", "route", "del", "blackhole", address(b) + "/32");
        in(namespace(b), "ip", "route", "del", "blackhole", address(a) + "/32");
    }

    int nodes() {
        return nodes;
    }

    @Override
    public void close() {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                ip("netns", "del", made.get(i));
            } catch (RuntimeException e) {
                // best effort: report nothing more than the failure to create
            }
        }
        made.clear();
    }

    private void in(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        run(c);
    }

    private void ip(String... args) {
        List<String> c = new ArrayList<>();
        c.add("ip");
        c.addAll(List.of(args));
        run(c);
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CliException(ExitCodes.FAILED, String.join(" ", cmd) + ": no answer in 30 s");
            }
            if (p.exitValue() != 0) {
                throw new CliException(
                        ExitCodes.FAILED,
                        String.join(" ", cmd) + ": exit " + p.exitValue() + ": "
                                + new String(out, StandardCharsets.UTF_8).strip()
                                + " (network namespaces need root: CAP_NET_ADMIN and CAP_SYS_ADMIN)");
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, String.join(" ", cmd) + ": interrupted", e);
        }
    }
}
