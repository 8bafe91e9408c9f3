// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import picocli.CommandLine;

/** Parses a u32 option such as a key or a message type: decimal, or hex with {@code 0x} (o2dlm's 0x666c6172). */
final class U32 implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        return parse(value);
    }

    static int parse(String value) {
        String v = value.strip();
        try {
            long l = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (l < Integer.MIN_VALUE || l > 0xffffffffL) {
                throw new CommandLine.TypeConversionException("'" + value + "' does not fit 32 bits");
            }
            return (int) l;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number (decimal or 0x hex)");
        }
    }
}
