-- SPDX-License-Identifier: MIT
-- Wireshark dissector for o2net as o2net-reliable speaks it: the kernel's v11 (struct o2net_msg, 24 bytes, and the
-- 32-byte handshake), the RFC's v12 (pad1 = ext_len, an 8-byte msg_seq extension, MH_REMOVE 0xfa59 / MH_REMOVED
-- 0xfa5a, a 40-byte handshake with the incarnation) and v13 (MSG and STATUS carry msg_seq and ack, ACK 0xfa5b carries
-- ack alone, a 48-byte handshake with the window). Field names follow Wireshark's own OCFS2 dissector where they
-- match (magic, data_len, msg_type, sys_status, status, key, msg_num) under the prefix "o2net.".
--
-- Frames describe themselves (the handshake starts with 0x00 bytes, a frame with its 0xfa magic; ext_len says which
-- extension follows), so nothing is remembered per conversation. Reassembly across TCP segments by dissect_tcp_pdus.
--
-- Use: tshark -X lua_script:o2net.lua -d tcp.port==7777,o2net --disable-heuristic lbmsrs \
--            --disable-heuristic lbmpdm_tcp ...   (or wireshark/bin/install, then Decode As). LBM's heuristic TCP
--      dissectors otherwise claim the 40- and 48-byte handshakes.

local o2net = Proto("o2net", "OCFS2 o2net (v11, reliable v12/v13)")

local magics = {
    [0xfa55] = "MSG", [0xfa56] = "STATUS", [0xfa57] = "KEEP_REQ", [0xfa58] = "KEEP_RESP",
    [0xfa59] = "MH_REMOVE", [0xfa5a] = "MH_REMOVED", [0xfa5b] = "ACK",
}
local sys_statuses = { [0] = "NONE", [1] = "NO_HNDLR", [2] = "OVERFLOW", [3] = "DIED" }

local f = o2net.fields
f.kind = ProtoField.string("o2net.kind", "Kind")
f.hs_version = ProtoField.uint64("o2net.handshake.protocol_version", "Protocol version")
f.hs_connector = ProtoField.uint64("o2net.handshake.connector_id", "Connector id")
f.hs_hb = ProtoField.uint32("o2net.handshake.heartbeat_timeout_ms", "Heartbeat timeout (ms)")
f.hs_idle = ProtoField.uint32("o2net.handshake.idle_timeout_ms", "Idle timeout (ms)")
f.hs_keepalive = ProtoField.uint32("o2net.handshake.keepalive_delay_ms", "Keepalive delay (ms)")
f.hs_reconnect = ProtoField.uint32("o2net.handshake.reconnect_delay_ms", "Reconnect delay (ms)")
f.hs_incarnation = ProtoField.uint64("o2net.handshake.incarnation", "Incarnation", base.HEX)
f.hs_window = ProtoField.uint32("o2net.handshake.window", "Window")
f.hs_reserved = ProtoField.uint32("o2net.handshake.reserved", "Reserved")
f.magic = ProtoField.uint16("o2net.msg.magic", "Magic", base.HEX, magics)
f.data_len = ProtoField.uint16("o2net.msg.data_len", "Data length")
f.msg_type = ProtoField.uint16("o2net.msg.msg_type", "Message type")
f.pad1 = ProtoField.uint16("o2net.msg.pad1", "pad1 (v11)")
f.ext_len = ProtoField.uint16("o2net.msg.ext_len", "Extension length")
f.sys_status = ProtoField.uint32("o2net.msg.sys_status", "System status", base.DEC, sys_statuses)
f.status = ProtoField.int32("o2net.msg.status", "Status")
f.key = ProtoField.uint32("o2net.msg.key", "Key", base.HEX)
f.msg_num = ProtoField.uint32("o2net.msg.msg_num", "Message number")
f.msg_seq = ProtoField.uint64("o2net.msg.msg_seq", "msg_seq")
f.ack = ProtoField.uint64("o2net.msg.ack", "Cumulative ack")
f.payload = ProtoField.bytes("o2net.msg.payload", "Payload")

local e_bad = ProtoExpert.new("o2net.bad", "Malformed o2net data", expert.group.MALFORMED, expert.severity.ERROR)
o2net.experts = { e_bad }

local HEADER = 24
local MAX_PAYLOAD = 4072

local function handshake_len(version)
    if version == 11 then return 32 elseif version == 12 then return 40 elseif version == 13 then return 48 end
    return nil
end

-- The length of the PDU at offset: a handshake (8 zero-leading bytes of version) or a frame.
local function pdu_len(tvb, pinfo, offset)
    if tvb:range(offset, 1):uint() ~= 0xfa then
        local v = tvb:range(offset, 8):uint64():tonumber()
        return handshake_len(v) or (tvb:len() - offset)
    end
    local data_len = tvb:range(offset + 2, 2):uint()
    local ext_len = tvb:range(offset + 6, 2):uint()
    return HEADER + ext_len + data_len
end

local function dissect_handshake(tvb, pinfo, tree)
    local v = tvb:range(0, 8):uint64():tonumber()
    local t = tree:add(o2net, tvb(), "o2net handshake, v" .. v)
    t:add(f.kind, "HANDSHAKE")
    t:add(f.hs_version, tvb(0, 8))
    t:add(f.hs_connector, tvb(8, 8))
    t:add(f.hs_hb, tvb(16, 4))
    t:add(f.hs_idle, tvb(20, 4))
    t:add(f.hs_keepalive, tvb(24, 4))
    t:add(f.hs_reconnect, tvb(28, 4))
    if v >= 12 then t:add(f.hs_incarnation, tvb(32, 8)) end
    if v >= 13 then
        t:add(f.hs_window, tvb(40, 4))
        t:add(f.hs_reserved, tvb(44, 4))
    end
    return "HANDSHAKE v" .. v
end

local function dissect_frame(tvb, pinfo, tree)
    local magic = tvb(0, 2):uint()
    local name = magics[magic]
    local data_len = tvb(2, 2):uint()
    local ext_len = tvb(6, 2):uint()
    local t = tree:add(o2net, tvb(), "o2net " .. (name or string.format("0x%04x", magic)))
    t:add(f.kind, name or "UNKNOWN")
    local mi = t:add(f.magic, tvb(0, 2))
    t:add(f.data_len, tvb(2, 2))
    t:add(f.msg_type, tvb(4, 2))
    if ext_len == 0 then t:add(f.pad1, tvb(6, 2)) else t:add(f.ext_len, tvb(6, 2)) end
    t:add(f.sys_status, tvb(8, 4))
    t:add(f.status, tvb(12, 4))
    t:add(f.key, tvb(16, 4))
    t:add(f.msg_num, tvb(20, 4))
    if name == nil then
        mi:add_proto_expert_info(e_bad, "unknown magic")
    elseif data_len > MAX_PAYLOAD or (data_len > 0 and name ~= "MSG") then
        t:add_proto_expert_info(e_bad, "bad data_len " .. data_len)
    end
    if name == "ACK" then
        if ext_len ~= 8 then t:add_proto_expert_info(e_bad, "ACK with ext_len " .. ext_len) else t:add(f.ack, tvb(24, 8)) end
    elseif ext_len == 8 then
        t:add(f.msg_seq, tvb(24, 8))
    elseif ext_len == 16 then
        t:add(f.msg_seq, tvb(24, 8))
        t:add(f.ack, tvb(32, 8))
    elseif ext_len ~= 0 then
        t:add_proto_expert_info(e_bad, "ext_len " .. ext_len)
    end
    if data_len > 0 then t:add(f.payload, tvb(HEADER + ext_len, data_len)) end
    return name or "UNKNOWN"
end

local function dissect_pdu(tvb, pinfo, tree)
    pinfo.cols.protocol = "o2net"
    local what
    if tvb(0, 1):uint() ~= 0xfa then what = dissect_handshake(tvb, pinfo, tree) else what = dissect_frame(tvb, pinfo, tree) end
    local info = tostring(pinfo.cols.info)
    if info:sub(1, 6) == "o2net:" then pinfo.cols.info:append(", " .. what) else pinfo.cols.info = "o2net: " .. what end
    return tvb:len()
end

function o2net.dissector(tvb, pinfo, tree)
    dissect_tcp_pdus(tvb, tree, 8, pdu_len, dissect_pdu)
    return tvb:len()
end

DissectorTable.get("tcp.port"):add_for_decode_as(o2net)
