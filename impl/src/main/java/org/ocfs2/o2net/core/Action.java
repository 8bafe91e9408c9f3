// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

/**
 * The names of the spec actions, as the TLA+ specs spell them. Trace events carry them, so an implementation log can be
 * checked against the spec and a spec trace replayed on the implementation.
 */
public enum Action {
    /** ReliableO2net and O2net: a caller starts a call. */
    Send,
    /** ReliableO2net: S keeps the status, sends MH_REMOVE. O2net and AckO2net: the call returns. */
    RecvStatus,
    /** ReliableO2net: S drops a status it no longer needs. */
    RecvStaleStatus,
    /** ReliableO2net: S gets MH_REMOVED; the call returns. */
    RecvRemoved,
    /** ReliableO2net: R inserts a Message Holder for a new msg_seq. */
    RecvMsg,
    /** ReliableO2net: R gets a duplicate; it re-sends the stored status, if any. */
    RecvDup,
    /** ReliableO2net: the handler's status is stored in its MH and sent back. */
    RunHandler,
    /** ReliableO2net: a handler whose MH was freed finishes; its status is dropped. */
    RunOrphan,
    /** ReliableO2net: R removes the MH and confirms. */
    RecvRemove,
    /** O2net: R runs the handler at once and replies (no Message Holder). */
    Recv,
    /** Both: the TCP connection is lost with everything in flight. */
    Reset,
    /** Both: a connection is made and the handshakes pass. */
    Connect,
    /** ReliableO2net: a node starts again with a new incarnation. */
    Restart,
    /** ReliableO2net: heartbeat declares an incarnation of the peer dead. */
    HbNodeDown,
    /** ReliableO2net: heartbeat sees the peer alive again. */
    HbNodeUp,
    /** AckO2net: S writes its cumulative ack alone, on a quiet link (an ACK frame). */
    SendAck,
    /** AckO2net: R receives an ACK frame and frees the Message Holders it covers. */
    RecvAck,
    /** AckO2net: R refuses a MSG outside its window: a protocol error; the connection closes. */
    RefuseMsg
}
