// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An o2hb heartbeat region on a plain file or a block device: {@code blocks} slots of {@code block_bytes} from block
 * {@code start_block}, node N's slot at byte {@code (start_block + N) * block_bytes} (the kernel's region attributes in
 * {@code /sys/kernel/config/cluster/<cluster>/heartbeat/<region>/}).
 * <p>
 * Each heartbeat {@linkplain #readSlots() reads every slot in one read} (the kernel's {@code o2hb_read_slots()}) and
 * {@linkplain #writeSlot writes the node's own slot} followed by {@link FileChannel#force force} (the kernel waits
 * for its write bio). A plain file is read through the page cache, which is coherent for every process of this
 * machine and for a qemu guest whose virtio-blk disk is the file with {@code cache=writethrough}. A block device
 * shared with other machines must not be read through this machine's page cache: it is opened with
 * {@code O_DIRECT} when the JDK's direct-I/O alignment (the file store's block size) divides {@code block_bytes};
 * otherwise a warning says that other machines' writes may be seen late.
 * <p>
 * Not thread-safe: one heartbeat thread uses it.
 */
public final class HeartbeatRegion implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(HeartbeatRegion.class);

    /** The largest {@code blocks}: {@code O2NM_MAX_NODES}. */
    public static final int MAX_BLOCKS = 255;

    private final Path path;
    private final long startBlock;
    private final int blockBytes;
    private final int blocks;
    private final boolean blockDevice;
    private final boolean direct;
    private final FileChannel channel;
    private final ByteBuffer slots;
    private final ByteBuffer one;

    private HeartbeatRegion(
            Path path,
            long startBlock,
            int blockBytes,
            int blocks,
            boolean blockDevice,
            boolean direct,
            FileChannel ch) {
        this.path = path;
        this.startBlock = startBlock;
        this.blockBytes = blockBytes;
        this.blocks = blocks;
        this.blockDevice = blockDevice;
        this.direct = direct;
        this.channel = ch;
        this.slots = aligned(blocks * blockBytes, direct ? blockBytes : 1);
        this.one = aligned(blockBytes, direct ? blockBytes : 1);
    }

    /**
     * Checks a region's geometry as the kernel's configfs attributes and {@code o2hb_region_dev_store()} do:
     * {@code start_block} not 0 (the kernel refuses 0 with EINVAL), {@code block_bytes} a power of two from 512 to
     * 4096, {@code blocks} from 1 to 255.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static void checkGeometry(long startBlock, int blockBytes, int blocks) {
        if (startBlock <= 0) {
            throw new IllegalArgumentException("start_block must be > 0 (the kernel rejects 0): " + startBlock);
        }
        HeartbeatBlock.checkBlockBytes(blockBytes);
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be 1.." + MAX_BLOCKS + ": " + blocks);
        }
        if (startBlock > Long.MAX_VALUE / blockBytes - blocks) {
            throw new IllegalArgumentException("start_block too large: " + startBlock);
        }
    }

    /** The bytes a region file must have: {@code (start_block + blocks) * block_bytes}. */
    public static long requiredBytes(long startBlock, int blockBytes, int blocks) {
        checkGeometry(startBlock, blockBytes, blocks);
        return (startBlock + blocks) * blockBytes;
    }

    /**
     * Creates or formats a region file: makes it at least {@link #requiredBytes} long (never shorter) and zeroes every
     * slot, then forces it to disk. A zeroed slot is a valid block (its checksum, {@code crc32_le(0, zeros)}, is 0)
     * that never changes, so nobody is live in a fresh region.
     */
    public static void format(Path path, long startBlock, int blockBytes, int blocks) throws IOException {
        checkGeometry(startBlock, blockBytes, blocks);
        try (FileChannel ch =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Writing the zeroed slots extends a shorter file to exactly the required size.
            ByteBuffer zeros = ByteBuffer.allocate(blocks * blockBytes);
            writeFully(ch, zeros, startBlock * blockBytes);
            ch.force(true);
        }
    }

    /**
     * Opens a region on an existing file or block device.
     *
     * @throws IOException if it cannot be opened read-write, or a plain file is shorter than {@link #requiredBytes}
     */
    public static HeartbeatRegion open(Path path, long startBlock, int blockBytes, int blocks) throws IOException {
        long required = requiredBytes(startBlock, blockBytes, blocks);
        boolean bdev = isBlockDevice(path);
        boolean direct = false;
        if (bdev) {
            long align;
            try {
                align = Files.getFileStore(path).getBlockSize();
            } catch (IOException | UnsupportedOperationException e) {
                align = -1;
            }
            direct = align > 0 && blockBytes % align == 0;
            if (!direct) {
                logger.warn(
                        "Heartbeat region on block device {} is read through the page cache (direct I/O needs "
                                + "{}-byte alignment, block_bytes is {}): writes by other machines may be seen late",
                        path,
                        align,
                        blockBytes);
            }
        }
        List<OpenOption> opts = new ArrayList<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (direct) {
            opts.add(ExtendedOpenOption.DIRECT);
        }
        FileChannel ch = FileChannel.open(path, opts.toArray(new OpenOption[0]));
        try {
            if (!bdev && ch.size() < required) {
                throw new IOException("heartbeat region " + path + " is " + ch.size() + " bytes; start_block "
                        + startBlock + ", blocks " + blocks + " and block_bytes " + blockBytes + " need " + required);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new HeartbeatRegion(path, startBlock, blockBytes, blocks, bdev, direct, ch);
    }

    private static boolean isBlockDevice(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            return mode instanceof Integer && (((Integer) mode) & 0170000) == 0060000; // S_IFBLK
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static ByteBuffer aligned(int size, int align) {
        if (align <= 1) {
            return ByteBuffer.allocate(size);
        }
        return ByteBuffer.allocateDirect(size + align)
                .alignedSlice(align)
                .limit(size)
                .slice();
    }

    /** Byte offset of node {@code node}'s slot: {@code (start_block + node) * block_bytes}. */
    public long offsetOf(int node) {
        checkNode(node);
        return (startBlock + node) * blockBytes;
    }

    /**
     * Reads every slot in one read ({@code o2hb_read_slots()}): the returned buffer holds slot N at index
     * {@code N * block_bytes}; it is this region's own buffer, valid until the next read.
     */
    public ByteBuffer readSlots() throws IOException {
        slots.clear();
        long pos = startBlock * blockBytes;
        while (slots.hasRemaining()) {
            int n = channel.read(slots, pos);
            if (n < 0) {
                throw new EOFException("heartbeat region " + path + " ends at " + pos);
            }
            pos += n;
        }
        slots.flip();
        return slots;
    }

    /** Writes {@code block} into node {@code node}'s slot and forces it to the device ({@code o2hb_issue_node_write}). */
    public void writeSlot(int node, HeartbeatBlock block) throws IOException {
        long pos = offsetOf(node);
        one.clear();
        block.encodeInto(one, 0, blockBytes);
        writeFully(channel, one, pos);
        channel.force(false);
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private void checkNode(int node) {
        if (node < 0 || node >= blocks) {
            throw new IllegalArgumentException("node " + node + " has no slot in a region of " + blocks + " blocks");
        }
    }

    /** The file or device. */
    public Path path() {
        return path;
    }

    /** {@code start_block}. */
    public long startBlock() {
        return startBlock;
    }

    /** {@code block_bytes}. */
    public int blockBytes() {
        return blockBytes;
    }

    /** {@code blocks}: the number of slots. */
    public int blocks() {
        return blocks;
    }

    /** Whether the region is on a block device. */
    public boolean isBlockDevice() {
        return blockDevice;
    }

    /** Whether I/O bypasses the page cache ({@code O_DIRECT}). */
    public boolean isDirect() {
        return direct;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path + " (start_block " + startBlock + ", block_bytes " + blockBytes + ", blocks " + blocks + ")";
    }
}
