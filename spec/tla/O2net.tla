\* SPDX-License-Identifier: MIT
-------------------------------- MODULE O2net --------------------------------
(***************************************************************************)
(* Today's o2net (fs/ocfs2/cluster/tcp.c, protocol version 11): the       *)
(* baseline that the RFC "make ocfs2/o2net reliable" wants to fix.        *)
(*                                                                         *)
(* Callers on node S send messages to node R and block until the status   *)
(* of R's handler comes back.  There is no msg_seq and no Message Holder:  *)
(* a message lives only in the socket buffers.  When the TCP connection   *)
(* drops, o2net_set_nn_state() completes every waiting caller with        *)
(* O2NET_ERR_DIED, which o2net_send_message() returns as -EHOSTDOWN,      *)
(* whether or not the handler ran.  R stays alive and keeps heartbeating  *)
(* throughout: no node dies in this model.                               *)
(*                                                                         *)
(* What the caller does with -EHOSTDOWN is a constant:                    *)
(*   "NoRetry"  gives up, as o2dlm does for e.g. proxy ASTs: the message  *)
(*              may be lost for good although R is alive (the DLM hang);  *)
(*   "Retry"    sends the same message again: the handler may run twice.  *)
(* TLC shows both (MCO2netNoRetry.cfg, MCO2netRetry.cfg).                 *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
    Caller,          \* the processes on node S that call o2net_send_message()
    CallsPerCaller,  \* each caller makes this many calls, one after another
    Policy           \* what a caller does with -EHOSTDOWN: "NoRetry" or "Retry"

ASSUME Policy \in {"NoRetry", "Retry"}

Call == Caller \X (1..CallsPerCaller)

\* Frames: MSG (0xfa55) carries the call, STATUS (0xfa56) the handler's
\* status.  msg_num, which matches a status to its waiter, is the call here.
MsgFrame(x)    == [kind |-> "msg", val |-> x]
StatusFrame(x) == [kind |-> "status", val |-> x]

VARIABLES
    callNo,   \* callNo[c]: number of c's current call, or of its next one
    pc,       \* pc[c]: "idle", "waiting" (blocked in the send) or "retry"
    conn,     \* the one TCP connection S-R: "up" (nn_sc valid), "failed"
              \* (dropped: nn_persistent_error = -ENOTCONN) or "down" (no
              \* connection and no error: o2net_start_connect() may run)
    toR,      \* frames in flight from S to R on the current connection
    toS,      \* frames in flight from R to S on the current connection
    resets,   \* how many times the connection was reset (to bound it)
    runs,     \* runs[x]: how many times x's handler has run (history)
    ret       \* ret[x]: "none", "ok" or "EHOSTDOWN" (history)

vars == <<callNo, pc, conn, toR, toS, resets, runs, ret>>

Current(c) == <<c, callNo[c]>>

TypeOK ==
    /\ callNo \in [Caller -> 1..(CallsPerCaller + 1)]
    /\ pc \in [Caller -> {"idle", "waiting", "retry"}]
    /\ conn \in {"up", "failed", "down"}
    /\ \A i \in 1..Len(toR) : toR[i].kind = "msg"
    /\ \A i \in 1..Len(toS) : toS[i].kind = "status"
    /\ resets \in Nat
    /\ runs \in [Call -> Nat]
    /\ ret \in [Call -> {"none", "ok", "EHOSTDOWN"}]

Init ==
    /\ callNo = [c \in Caller |-> 1]
    /\ pc = [c \in Caller |-> "idle"]
    /\ conn = "down"
    /\ toR = << >>
    /\ toS = << >>
    /\ resets = 0
    /\ runs = [x \in Call |-> 0]
    /\ ret = [x \in Call |-> "none"]

(* Caller c sends its next message, or under "Retry" the same one again   *)
(* (o2net_send_message_vec()).  It first waits for a valid connection or  *)
(* an error (wait_event on nn_sc_wq, o2net_tx_can_proceed()), then writes *)
(* the MSG frame and blocks for the status.  While the connection is      *)
(* "failed" the wait ends at once with -ENOTCONN, before anything is      *)
(* sent: the caller knows its handler did not run and calls again, which  *)
(* is the same as waiting here until the connection is up.                *)
Send(c) ==
    /\ \/ pc[c] = "idle" /\ callNo[c] <= CallsPerCaller
       \/ pc[c] = "retry"
    /\ conn = "up"
    /\ pc' = [pc EXCEPT ![c] = "waiting"]
    /\ toR' = Append(toR, MsgFrame(Current(c)))
    /\ UNCHANGED <<callNo, conn, toS, resets, runs, ret>>

(* R receives a MSG frame, runs the handler at once and sends the status  *)
(* back (o2net_process_message(): the handler runs in the rx work, then   *)
(* o2net_send_status_magic()).  Nothing remembers that it ran.            *)
Recv ==
    /\ toR # << >>
    /\ LET x == Head(toR).val IN
       /\ runs' = [runs EXCEPT ![x] = @ + 1]
       /\ toS' = Append(toS, StatusFrame(x))
    /\ toR' = Tail(toR)
    /\ UNCHANGED <<callNo, pc, conn, resets, ret>>

(* S receives the STATUS frame and completes the waiter                   *)
(* (o2net_complete_nsw()): the call returns the handler's status.         *)
RecvStatus ==
    /\ toS # << >>
    /\ LET x == Head(toS).val IN
       /\ ret' = [ret EXCEPT ![x] = "ok"]
       /\ pc' = [pc EXCEPT ![x[1]] = "idle"]
       /\ callNo' = [callNo EXCEPT ![x[1]] = @ + 1]
    /\ toS' = Tail(toS)
    /\ UNCHANGED <<conn, toR, resets, runs>>

(* The connection drops (o2net_shutdown_sc(), then o2net_set_nn_state()   *)
(* from valid to invalid with err 0, which it turns into a persistent     *)
(* -ENOTCONN).  Every frame in flight is lost, and                        *)
(* o2net_complete_nodes_nsw() completes every waiter with O2NET_ERR_DIED: *)
(* the caller sees -EHOSTDOWN and cannot tell whether the handler ran.    *)
(* o2net_start_connect() gives up while the error is -ENOTCONN and the    *)
(* idle timer has not fired, so no connection is made until               *)
(* ConnectExpired.                                                        *)
Reset ==
    /\ conn = "up"
    /\ conn' = "failed"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ resets' = resets + 1
    /\ LET failed == {c \in Caller : pc[c] = "waiting"} IN
       IF Policy = "Retry"
          THEN /\ pc' = [c \in Caller |-> IF c \in failed THEN "retry" ELSE pc[c]]
               /\ UNCHANGED <<callNo, ret>>
          ELSE /\ pc' = [c \in Caller |-> IF c \in failed THEN "idle" ELSE pc[c]]
               /\ ret' = [x \in Call |-> IF x[1] \in failed /\ x = Current(x[1])
                                            THEN "EHOSTDOWN" ELSE ret[x]]
               /\ callNo' = [c \in Caller |-> IF c \in failed THEN callNo[c] + 1 ELSE callNo[c]]
    /\ UNCHANGED runs

(* o2net_connect_expired() runs idle_timeout after the drop, plus what is *)
(* left of reconnect_delay since the last connect attempt (about 30 s     *)
(* with the defaults; "No connection established with node N after 30.0  *)
(* seconds"): the node is still not valid, so it calls                   *)
(* o2net_set_nn_state() with err 0, which clears the persistent error and *)
(* lets the next o2net_start_connect() proceed.  Observed on Debian's 6.1 *)
(* kernel in qemu (kernel-lab/README.md): it reconnects by itself after   *)
(* every drop.  This model's earlier text said it did so only after an    *)
(* idle timeout or a heartbeat down and up.                               *)
ConnectExpired ==
    /\ conn = "failed"
    /\ conn' = "down"
    /\ UNCHANGED <<callNo, pc, toR, toS, resets, runs, ret>>

(* The connection is made (o2net_start_connect() by the higher node       *)
(* number, and the handshake): at the start, and after ConnectExpired.    *)
Connect ==
    /\ conn = "down"
    /\ conn' = "up"
    /\ UNCHANGED <<callNo, pc, toR, toS, resets, runs, ret>>

\* Every caller has made all its calls and has its answer: the run is over.
Done ==
    /\ \A c \in Caller : pc[c] = "idle" /\ callNo[c] > CallsPerCaller
    /\ UNCHANGED vars

Next ==
    \/ \E c \in Caller : Send(c)
    \/ Recv
    \/ RecvStatus
    \/ ConnectExpired
    \/ Connect
    \/ Reset
    \/ Done

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* No call's handler runs twice.  Violated with Policy = "Retry".
ExactlyOnceInv == \A x \in Call : runs[x] <= 1

\* No call fails while its handler never ran: R is alive throughout, so a
\* failed call whose handler did not run is a lost message, and with
\* "NoRetry" nothing will ever send it again (the o2dlm hang: a missing AST
\* or ASSERT MASTER while R keeps heartbeating).  Violated with "NoRetry".
NoLostCallInv == \A x \in Call : ret[x] = "EHOSTDOWN" => runs[x] > 0
=============================================================================
