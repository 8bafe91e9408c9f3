// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's stock kernel running in a qemu guest, as one o2cb cluster node next to Java nodes on the host.
 *
 * <h2>Wiring</h2>
 * <ul>
 * <li>Software emulation ({@code -accel tcg,thread=multi -cpu max}): KVM here is a nested paravirtual one that
 *     cannot boot a stock kernel.</li>
 * <li>Network: qemu user-mode networking with {@code restrict=on}; the guest is 10.0.2.15 and reaches nothing but
 *     what is forwarded. Host to guest: a {@code hostfwd} from 127.0.0.1 on a port the OS chooses to the guest's o2net
 *     port {@value #GUEST_PORT} ({@link #hostForwardPort()}); the guest sees those connections come from 10.0.2.2.
 *     Guest to host: one {@code guestfwd} per Java node the kernel connects to, a guest address whose connections
 *     run a relay ({@code busybox nc}) to the loopback address and port written in a file, read at each connection (so
 *     a Java node may restart on another port). The relay's connections come from 127.0.0.1, which is therefore the
 *     kernel node's address in the Java nodes' configuration.</li>
 * <li>The console (first serial port) goes to a file ({@link GuestConsole}); a shell on the second serial port is
 *     the control channel ({@link ControlShell}); qemu's monitor is on a unix socket.</li>
 * <li>The heartbeat region: a host file attached as a virtio-blk disk ({@code /dev/vda}) with
 *     {@code cache=writethrough}, coherent with the host's writes.</li>
 * </ul>
 * {@link #close()} stops qemu (and a JVM shutdown hook does, should the test JVM end first): no qemu is left
 * running.
 */
public final class KernelGuest implements AutoCloseable {
    /** The guest's own address on qemu's user-mode network. */
    public static final String GUEST_ADDRESS = "10.0.2.15";
    /** The address host connections come from, as the guest sees them. */
    public static final String HOST_AS_SEEN_BY_GUEST = "10.0.2.2";
    /** The port the kernel's o2net listens on in the guest. */
    public static final int GUEST_PORT = 7777;

    private static final Pattern HOSTFWD =
            Pattern.compile("HOST_FORWARD\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+(\\d+)\\s+10\\.0\\.2\\.15\\s+" + GUEST_PORT);

    /**
     * A guest-to-host forward: connections to {@code guestAddress:guestPort} reach the host address and port written
     * in {@code targetFile}; until it is written they are closed at once.
     */
    public record GuestForward(String guestAddress, int guestPort, Path targetFile) {
        /** Points the forward at {@code host:port} (a loopback address), for the connections made from now on. */
        public void target(String host, int port) {
            try {
                Path tmp = targetFile.resolveSibling(targetFile.getFileName() + ".tmp");
                Files.writeString(tmp, host + " " + port);
                Files.move(tmp, targetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final KernelLab lab;
    private final Path workDir;
    private final Process qemu;
    private final Thread shutdownHook;
    private final GuestConsole console;
    private final ControlShell shell;
    private final int hostForwardPort;
    private final List<GuestForward> forwards;
    private final long bootMillis;

    private KernelGuest(
            KernelLab lab,
            Path workDir,
            Process qemu,
            Thread hook,
            GuestConsole console,
            ControlShell shell,
            int port,
            List<GuestForward> forwards,
            long bootMillis) {
        this.lab = lab;
        this.workDir = workDir;
        this.qemu = qemu;
        this.shutdownHook = hook;
        this.console = console;
        this.shell = shell;
        this.hostForwardPort = port;
        this.forwards = forwards;
        this.bootMillis = bootMillis;
    }

    /**
     * Boots the guest and waits until its init is ready (modules loaded, network up, control shell running).
     *
     * @param lab            the kernel and initramfs ({@link KernelLab#setup})
     * @param workDir        where the console log, qemu's log, sockets and relay scripts go
     * @param region         the heartbeat region file, attached as {@code /dev/vda}
     * @param guestForwards  guest addresses (port {@value #GUEST_PORT}) to forward to Java nodes on the host
     * @param bootTimeout    upper bound for the boot
     */
    public static KernelGuest boot(
            KernelLab lab, Path workDir, Path region, List<String> guestForwards, Duration bootTimeout) {
        long start = System.nanoTime();
        Process qemu = null;
        Thread hook = null;
        ControlShell shell = null;
        try {
            Files.createDirectories(workDir);
            Path consoleFile = workDir.resolve("console.log");
            Path control = workDir.resolve("control.sock");
            Path monitor = workDir.resolve("monitor.sock");
            Files.deleteIfExists(consoleFile);
            Files.deleteIfExists(control);
            Files.deleteIfExists(monitor);
            List<GuestForward> forwards = new ArrayList<>();
            StringBuilder netdev = new StringBuilder("user,id=n0,restrict=on,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:0-"
                    + GUEST_ADDRESS + ":" + GUEST_PORT);
            for (String addr : guestForwards) {
                Path portFile = workDir.resolve("relay-" + addr + ".target");
                Path relay = workDir.resolve("relay-" + addr + ".sh");
                Path relayLog = workDir.resolve("relay-" + addr + ".log");
                Files.deleteIfExists(portFile);
                Files.deleteIfExists(relayLog);
                Files.writeString(
                        relay,
                        "#!/bin/sh\n# guestfwd relay for " + addr + ":" + GUEST_PORT
                                + ": one process per connection, to the Java node's current port\n"
                                + "# qemu hands the connection over as stdin and stdout, and stderr too: keep errors out of it\n"
                                + "target=$(cat '" + portFile + "' 2>/dev/null)\n"
                                + "echo \"$(date +%T.%N) connection to ${target:-nothing}\" >>'" + relayLog + "'\n"
                                + "# shellcheck disable=SC2086\n"
                                + "exec /bin/busybox nc $target 2>>'" + relayLog + "'\n");
                Files.setPosixFilePermissions(relay, PosixFilePermissions.fromString("rwxr-xr-x"));
                netdev.append(",guestfwd=tcp:")
                        .append(addr)
                        .append(':')
                        .append(GUEST_PORT)
                        .append("-cmd:")
                        .append(relay);
                forwards.add(new GuestForward(addr, GUEST_PORT, portFile));
            }
            List<String> cmd = List.of(
                    "qemu-system-x86_64",
                    "-name",
                    "o2net-kernel-lab",
                    "-accel",
                    "tcg,thread=multi",
                    "-cpu",
                    "max",
                    "-smp",
                    "2",
                    "-m",
                    "512",
                    "-nodefaults",
                    "-display",
                    "none",
                    "-no-reboot",
                    "-kernel",
                    lab.vmlinuz().toString(),
                    "-initrd",
                    lab.initramfs().toString(),
                    "-append",
                    "console=ttyS0 loglevel=7 panic=-1",
                    "-chardev",
                    "file,id=con,path=" + consoleFile,
                    "-serial",
                    "chardev:con",
                    "-chardev",
                    "socket,id=ctl,path=" + control + ",server=on,wait=off",
                    "-serial",
                    "chardev:ctl",
                    "-monitor",
                    "unix:" + monitor + ",server=on,wait=off",
                    "-drive",
                    "file=" + region + ",if=virtio,format=raw,cache=writethrough",
                    "-netdev",
                    netdev.toString(),
                    "-device",
                    "virtio-net-pci,netdev=n0");
            Files.writeString(workDir.resolve("qemu.cmdline"), String.join(" ", cmd) + "\n");
            qemu = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("qemu.log").toFile())
                    .start();
            Process q = qemu;
            hook = new Thread(q::destroyForcibly, "kernel-lab-qemu-killer");
            Runtime.getRuntime().addShutdownHook(hook);
            GuestConsole console = new GuestConsole(consoleFile, q::isAlive);
            console.await(
                    0,
                    Pattern.compile("kernel-lab: ready"),
                    bootTimeout,
                    "the guest's init to load the modules and start the control shell");
            for (String l : console.linesFrom(0)) {
                if (l.contains("kernel-lab: insmod")) {
                    throw new IllegalStateException("guest module load failed: " + l);
                }
            }
            shell = ControlShell.connect(control, Duration.ofSeconds(30), q::isAlive);
            shell.ok("true");
            int port = hostForwardPort(monitor);
            long bootMillis = (System.nanoTime() - start) / 1_000_000;
            return new KernelGuest(lab, workDir, qemu, hook, console, shell, port, List.copyOf(forwards), bootMillis);
        } catch (IOException | RuntimeException | Error e) {
            if (shell != null) {
                shell.close();
            }
            if (qemu != null) {
                qemu.destroyForcibly();
                stop(qemu);
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            }
            if (e instanceof IOException) {
                throw new UncheckedIOException("cannot boot the kernel lab guest", (IOException) e);
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw (Error) e;
        }
    }

    /** Reads the port qemu's hostfwd got from the OS, from the monitor's {@code info usernet}. */
    private static int hostForwardPort(Path monitor) throws IOException {
        String out = hmp(monitor, "info usernet");
        Matcher m = HOSTFWD.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no host forward in qemu's 'info usernet':\n" + out);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Sends one command to qemu's human monitor and returns what it printed up to the next prompt. */
    private static String hmp(Path monitor, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(monitor));
            readUntilPrompt(ch, Duration.ofSeconds(30));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(UTF_8)));
            return readUntilPrompt(ch, Duration.ofSeconds(30));
        }
    }

    private static String readUntilPrompt(SocketChannel ch, Duration timeout) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sb.indexOf("(qemu) ") < 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no prompt from qemu's monitor; got: " + sb);
            }
            buf.clear();
            if (ch.read(buf) < 0) {
                break;
            }
            sb.append(new String(buf.array(), 0, buf.position(), UTF_8));
        }
        return sb.toString();
    }

    public KernelLab lab() {
        return lab;
    }

    public Path workDir() {
        return workDir;
    }

    /** The console: the kernel's log. */
    public GuestConsole console() {
        return console;
    }

    /** The control shell. */
    public ControlShell shell() {
        return shell;
    }

    /** The host port (on 127.0.0.1) forwarded to the kernel's o2net port. */
    public int hostForwardPort() {
        return hostForwardPort;
    }

    /** The guest-to-host forwards, in the order asked for. */
    public List<GuestForward> forwards() {
        return forwards;
    }

    /** How long {@link #boot} took, from qemu's start to a running control shell. */
    public long bootMillis() {
        return bootMillis;
    }

    public boolean isAlive() {
        return qemu.isAlive();
    }

    // ------------------------------------------------------------------------------------------------------------
    // The kernel's cluster, through configfs and debugfs
    // ------------------------------------------------------------------------------------------------------------

    /** The configfs folder of cluster {@code cluster}. */
    public static String clusterDir(String cluster) {
        return "/sys/kernel/config/cluster/" + cluster;
    }

    /** One node as the kernel's configuration names it. */
    public record GuestNode(int number, String name, String address, int port) {}

    /**
     * Creates cluster {@code cluster} in configfs with these timeouts and nodes, {@code local} last: setting a node
     * local makes the kernel listen. The o2cb tools are not needed: the attributes are written directly.
     */
    public void configureCluster(
            String cluster,
            int idleTimeoutMs,
            int keepaliveDelayMs,
            int reconnectDelayMs,
            int deadThreshold,
            List<GuestNode> nodes,
            int local) {
        String c = clusterDir(cluster);
        StringBuilder s = new StringBuilder();
        s.append("set -e; mkdir ").append(c).append("; ");
        // keepalive first: idle must stay greater than keepalive after each write
        s.append("echo ").append(keepaliveDelayMs).append(" > ").append(c).append("/keepalive_delay_ms; ");
        s.append("echo ").append(idleTimeoutMs).append(" > ").append(c).append("/idle_timeout_ms; ");
        s.append("echo ").append(reconnectDelayMs).append(" > ").append(c).append("/reconnect_delay_ms; ");
        s.append("echo ").append(deadThreshold).append(" > ").append(c).append("/heartbeat/dead_threshold; ");
        for (GuestNode n : nodes) {
            String d = c + "/node/" + n.name();
            s.append("mkdir ").append(d).append("; ");
            s.append("echo ").append(n.address()).append(" > ").append(d).append("/ipv4_address; ");
            s.append("echo ").append(n.port()).append(" > ").append(d).append("/ipv4_port; ");
            s.append("echo ").append(n.number()).append(" > ").append(d).append("/num; ");
        }
        GuestNode self = nodes.stream()
                .filter(n -> n.number() == local)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("local node " + local + " not among " + nodes));
        s.append("echo 1 > ").append(c).append("/node/").append(self.name()).append("/local");
        shell.ok(s.toString());
    }

    /**
     * Starts the kernel's disk heartbeat on {@code /dev/vda} as region {@code region}. The write of the device's file
     * descriptor into {@code dev} blocks until the region is steady, so it runs in the background; wait for the
     * kernel to see itself in {@link #liveNodes()}.
     */
    public void startHeartbeat(String cluster, String region, int blockBytes, long startBlock, int blocks) {
        String r = clusterDir(cluster) + "/heartbeat/" + region;
        shell.ok("set -e; mkdir " + r + "; echo " + blockBytes + " > " + r + "/block_bytes; echo " + startBlock
                + " > " + r + "/start_block; echo " + blocks + " > " + r + "/blocks; "
                + "(exec 3<>/dev/vda; echo 3 > " + r + "/dev || echo 'kernel-lab: heartbeat start failed') "
                + ">/dev/console 2>&1 &");
    }

    /** The nodes the kernel's o2hb sees live ({@code /sys/kernel/debug/o2hb/livenodes}). */
    public Set<Integer> liveNodes() {
        return numbers(shell.ok("cat /sys/kernel/debug/o2hb/livenodes"));
    }

    /** The nodes the kernel's o2net has a valid connection to ({@code /sys/kernel/debug/o2net/connected_nodes}). */
    public Set<Integer> connectedNodes() {
        return numbers(shell.ok("cat /sys/kernel/debug/o2net/connected_nodes"));
    }

    private static Set<Integer> numbers(String s) {
        Set<Integer> out = new TreeSet<>();
        for (String w : s.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(Integer.parseInt(w));
            }
        }
        return out;
    }

    /** Stops qemu: asks the monitor to quit, then kills it; waits until it is gone. Idempotent. */
    @Override
    public void close() {
        shell.close();
        if (qemu.isAlive()) {
            // "quit" without waiting for an answer: a hung qemu must not hang the teardown; it is killed below
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(workDir.resolve("monitor.sock")));
                ch.write(ByteBuffer.wrap("quit\n".getBytes(UTF_8)));
            } catch (IOException | RuntimeException e) {
                // killed below
            }
        }
        stop(qemu);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private static void stop(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
