\* SPDX-License-Identifier: MIT
------------------------------ MODULE AckO2net ------------------------------
(***************************************************************************)
(* Reliable o2net with one round trip: the protocol this project proposes *)
(* in place of the RFC's MH_REMOVE / MH_REMOVED exchange (ReliableO2net). *)
(*                                                                         *)
(* As in the RFC, S numbers every message with msg_seq and holds it until *)
(* it is finished, re-sending it on every new connection; R keeps a       *)
(* Message Holder (MH) per msg_seq, so a duplicate is answered from the   *)
(* MH, never handled twice.  Unlike the RFC:                              *)
(*                                                                         *)
(*   the call returns as soon as its STATUS arrives, as in today's o2net; *)
(*   S acknowledges cumulatively: ack = (lowest msg_seq S still holds) - 1 *)
(*     (nextSeq - 1 if it holds none), "every message up to ack is        *)
(*     finished, its MH may go"; every MSG carries the current ack, and a  *)
(*     separate ACK frame carries it only when the link is otherwise      *)
(*     quiet (SendAck); R frees every MH at or below the ack it receives;  *)
(*   S may have at most Window messages beyond its ack (R announces       *)
(*     Window in the handshake), and R refuses, as a protocol error, a    *)
(*     MSG whose msg_seq is not in (ack, ack + Window]: R never holds      *)
(*     more than Window MHs for a peer, whatever that peer sends.         *)
(*                                                                         *)
(* The MH only has to outlive every copy of its message that can still    *)
(* arrive.  S re-sends only the messages it holds, all above its ack, and *)
(* a copy never outlives its connection (TCP order within one, nothing    *)
(* carried over from a dead one).  So once R has an ack covering s, no   *)
(* copy of s can reach it again: the MH of s can go, and a msg_seq at or  *)
(* below R's ack can only come from a broken or hostile sender.          *)
(*                                                                         *)
(* Restarts, node-downs and incarnations are those of ReliableO2net with  *)
(* Incarnation = TRUE.  The constants AckMode and RecvWindow select the   *)
(* protocol or one of the designs that show why each piece is needed:     *)
(*   AckMode = "cumulative", RecvWindow = TRUE   this protocol            *)
(*   AckMode = "none"        (no removal at all: the MH tree grows)       *)
(*   AckMode = "atStatus"    (R frees an MH when it sends the status)     *)
(*   AckMode = "highest"     (S acks the highest status it has)           *)
(*   RecvWindow = FALSE      (R trusts the sender to keep the window)     *)
(* With Hostile, a peer that has passed the handshake as S also sends     *)
(* MSG and ACK frames of its own choosing (HostileSend, HostileAck).      *)
(*                                                                         *)
(* One direction is modelled: S calls, R handles.  Each action names the  *)
(* kernel function (fs/ocfs2/cluster/tcp.c) it models or would change and *)
(* the spec action of the same name in the implementation's protocol core *)
(* (org.ocfs2.o2net.core.PeerCore, protocol v13).                         *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Caller,          \* the processes on node S that call o2net_send_message()
    CallsPerCaller,  \* each caller makes this many calls, one after another
    Window,          \* W: the most messages S may have beyond its ack
    AckMode,         \* "cumulative" (this protocol), "none", "atStatus", "highest"
    RecvWindow,      \* TRUE: R refuses a msg_seq outside (ack, ack + W]
    Hostile,         \* TRUE: a hostile peer also sends frames as S
    MaxHostile,      \* how many frames the hostile peer sends, at most
    NoCall           \* a model value: "no call", "no status"

ASSUME CallsPerCaller \in Nat \ {0}
ASSUME Window \in Nat \ {0}
ASSUME AckMode \in {"cumulative", "none", "atStatus", "highest"}
ASSUME RecvWindow \in BOOLEAN /\ Hostile \in BOOLEAN /\ MaxHostile \in Nat

S == "S"
R == "R"
Node == {S, R}
Peer(n) == IF n = S THEN R ELSE S

Call == Caller \X (1..CallsPerCaller)

\* See O2netCall: a handler's status is a function of its message, and
\* every call's message is different.
HandlerStatus(x) == x

(***************************************************************************)
(* Frames.  MSG (0xfa55) carries msg_seq, the payload (which call it is)  *)
(* and S's ack; STATUS (0xfa56) carries msg_seq and the status; the new   *)
(* ACK (0xfa5b) carries an ack alone.  A hostile MSG carries no call of S *)
(* (val = NoCall).                                                        *)
(***************************************************************************)
MsgFrame(s, x, a)  == [kind |-> "msg",    seq |-> s, val |-> x,  ack |-> a]
StatusFrame(s, st) == [kind |-> "status", seq |-> s, val |-> st, ack |-> 0]
AckFrame(a)        == [kind |-> "ack",    seq |-> 0, val |-> NoCall, ack |-> a]

VARIABLES
    \* Node S, the caller side.
    callNo,     \* callNo[c]: number of c's current call, or of its next one
    waiting,    \* waiting[c]: c is blocked in o2net_send_message()
    nextSeq,    \* the msg_seq S gives its next message (1 after a restart)
    held,       \* S's held messages, waiting for their status: msg_seq -> call
    ackSent,    \* the highest ack S has written on the current connection
    maxStatus,  \* the highest msg_seq whose status S has had (AckMode "highest")
    \* Node R, the handler side.
    mh,         \* R's MH tree: msg_seq -> [call, st, status], st "running"
                \*   while the handler runs, "done" once the status is stored
    orphans,    \* calls whose handler still runs but whose MH R has freed
    ackRecv,    \* the highest ack R has had from the current incarnation of S
    \* The TCP connection between S and R; at most one (kernel: nn_sc).
    conn,       \* "up" or "down"
    toR,        \* frames in flight from S to R on the current connection
    toS,        \* frames in flight from R to S on the current connection
    resets,     \* how many times the connection was reset (history, to bound it)
    \* Incarnations and heartbeat, as in ReliableO2net.
    inc,        \* inc[n]: node n's incarnation; a restart changes it
    peerInc,    \* peerInc[n]: the incarnation of Peer(n) n saw in the last handshake
    hbInc,      \* hbInc[n]: the incarnation of n Peer(n)'s heartbeat believes alive
    \* History variables: the caller's view (O2netCall) and what happened.
    runs,       \* runs[x]: how many times x's handler has run
    ret,        \* ret[x]: "none", "ok", "EHOSTDOWN" or "abandoned"
    retStatus,  \* retStatus[x]: the status call x returned, NoCall if none
    lost,       \* calls during (or just before) which R restarted
    hostileSent \* frames the hostile peer has sent

callerVars  == <<callNo, waiting>>
senderVars  == <<nextSeq, held, ackSent, maxStatus>>
recvVars    == <<mh, orphans, ackRecv>>
netVars     == <<conn, toR, toS, resets>>
incVars     == <<inc, peerInc, hbInc>>
historyVars == <<runs, ret, retStatus, lost>>
vars == <<callerVars, senderVars, recvVars, netVars, incVars, historyVars, hostileSent>>

-----------------------------------------------------------------------------
(* Helpers. *)

Current(c) == <<c, callNo[c]>>
Pending    == {Current(c) : c \in {d \in Caller : waiting[d]}}

Without(f, k) == [i \in DOMAIN f \ {k} |-> f[i]]

Min(set) == CHOOSE i \in set : \A j \in set : i <= j
Max2(a, b) == IF a >= b THEN a ELSE b

RECURSIVE Ascending(_)
Ascending(set) ==
    IF set = {} THEN << >>
    ELSE LET m == Min(set) IN <<m>> \o Ascending(set \ {m})

\* S's cumulative acknowledgement: every message at or below it is finished.
CumAck == IF DOMAIN held = {} THEN nextSeq - 1 ELSE Min(DOMAIN held) - 1

\* The ack S writes.  "highest": the highest status S has had, even if a
\* lower message still waits for its own ("acknowledging too early").
\* "none": S never acknowledges.
Ack == CASE AckMode = "none"    -> 0
         [] AckMode = "highest" -> Max2(CumAck, maxStatus)
         [] OTHER               -> CumAck

\* S's window: a message may go out only if its msg_seq is within Window
\* of S's ack.  Without acks there is no window to keep.
InSendWindow(s) == AckMode = "none" \/ s <= Ack + Window

\* R's window, once the frame's ack a is applied.
InRecvWindow(s, a) == ~RecvWindow \/ (a < s /\ s <= a + Window)

\* What S writes first on a new connection: every held message in msg_seq
\* order, each with the current ack.
Resend(h) ==
    LET ss == Ascending(DOMAIN h)
    IN  [i \in 1..Len(ss) |-> MsgFrame(ss[i], h[ss[i]], Ack)]

\* Fail the calls of the callers in F with EHOSTDOWN.
FailCalls(F) ==
    /\ ret' = [x \in Call |-> IF \E c \in F : x = Current(c) THEN "EHOSTDOWN" ELSE ret[x]]
    /\ waiting' = [c \in Caller |-> IF c \in F THEN FALSE ELSE waiting[c]]
    /\ callNo' = [c \in Caller |-> IF c \in F THEN callNo[c] + 1 ELSE callNo[c]]
    /\ UNCHANGED retStatus

HeldCallers == {held[s][1] : s \in DOMAIN held}

\* The calls of S among a set of MHs' owners (a hostile MSG has none).
Calls(set) == set \ {NoCall}

\* R frees every MH and forgets S's ack (a new incarnation of S, or S
\* declared dead); handlers still running become orphans.
FreeMhs ==
    /\ orphans' = orphans \cup Calls({mh[s].call : s \in {t \in DOMAIN mh : mh[t].st = "running"}})
    /\ mh' = << >>
    /\ ackRecv' = 0

\* R applies ack a: it frees every MH at or below a.  Only finished
\* messages can be there unless S is broken or hostile; a handler still
\* running for one becomes an orphan.
ApplyAck(a) ==
    LET na   == Max2(ackRecv, a)
        gone == {t \in DOMAIN mh : t <= na}
    IN  /\ ackRecv' = na
        /\ orphans' = orphans \cup Calls({mh[t].call : t \in {u \in gone : mh[u].st = "running"}})
        /\ mh' = [t \in DOMAIN mh \ gone |-> mh[t]]

-----------------------------------------------------------------------------
TypeOK ==
    /\ callNo \in [Caller -> 1..(CallsPerCaller + 1)]
    /\ waiting \in [Caller -> BOOLEAN]
    /\ nextSeq \in Nat \ {0}
    /\ DOMAIN held \subseteq 1..(nextSeq - 1)
    /\ \A s \in DOMAIN held : held[s] \in Call
    /\ ackSent \in Nat
    /\ maxStatus \in Nat
    /\ DOMAIN mh \subseteq Nat \ {0}
    /\ \A s \in DOMAIN mh :
          mh[s] \in [call : Call \cup {NoCall}, st : {"running", "done"}, status : Call \cup {NoCall}]
    /\ orphans \subseteq Call
    /\ ackRecv \in Nat
    /\ conn \in {"up", "down"}
    /\ resets \in Nat
    /\ \A i \in 1..Len(toR) : toR[i].kind \in {"msg", "ack"}
    /\ \A i \in 1..Len(toS) : toS[i].kind = "status"
    /\ inc \in [Node -> Nat \ {0}]
    /\ peerInc \in [Node -> Nat]
    /\ hbInc \in [Node -> Nat]
    /\ runs \in [Call -> Nat]
    /\ ret \in [Call -> {"none", "ok", "EHOSTDOWN", "abandoned"}]
    /\ retStatus \in [Call -> Call \cup {NoCall}]
    /\ lost \subseteq Call
    /\ hostileSent \in Nat

Init ==
    /\ callNo = [c \in Caller |-> 1]
    /\ waiting = [c \in Caller |-> FALSE]
    /\ nextSeq = 1
    /\ held = << >>
    /\ ackSent = 0
    /\ maxStatus = 0
    /\ mh = << >>
    /\ orphans = {}
    /\ ackRecv = 0
    /\ conn = "down"
    /\ toR = << >>
    /\ toS = << >>
    /\ resets = 0
    /\ inc = [n \in Node |-> 1]
    /\ peerInc = [n \in Node |-> 0]
    /\ hbInc = [n \in Node |-> 1]
    /\ runs = [x \in Call |-> 0]
    /\ ret = [x \in Call |-> "none"]
    /\ retStatus = [x \in Call |-> NoCall]
    /\ lost = {}
    /\ hostileSent = 0

-----------------------------------------------------------------------------
(***************************************************************************)
(*                          Node S: the caller side                        *)
(***************************************************************************)

(* Caller c on S starts its next call (o2net_send_message_vec(); core:    *)
(* Send).  S tags the message with the next msg_seq and holds it until    *)
(* its status arrives; the MSG carries S's ack.  The window: S sends only *)
(* msg_seq up to its ack + Window; a caller beyond it waits before this   *)
(* step, unnumbered (the kernel would sleep on a wait queue as it does    *)
(* for a connection), and takes it once a status moves the ack.  If the   *)
(* connection is down the message waits in `held' for the next one.  As  *)
(* in ReliableO2net a caller calls only while S's heartbeat sees R alive, *)
(* and a call made to a restarted R that S has not noticed counts as lost.*)
Send(c) ==
    /\ ~waiting[c]
    /\ callNo[c] <= CallsPerCaller
    /\ hbInc[R] # 0
    /\ InSendWindow(nextSeq)
    /\ waiting' = [waiting EXCEPT ![c] = TRUE]
    /\ held' = held @@ (nextSeq :> Current(c))
    /\ nextSeq' = nextSeq + 1
    /\ IF conn = "up"
          THEN /\ toR' = Append(toR, MsgFrame(nextSeq, Current(c), Ack))
               /\ ackSent' = Ack
          ELSE UNCHANGED <<toR, ackSent>>
    /\ lost' = IF hbInc[R] # inc[R] THEN lost \cup {Current(c)} ELSE lost
    /\ UNCHANGED <<callNo, maxStatus, recvVars, conn, toS, resets, incVars, runs, ret, retStatus, hostileSent>>

(* S receives the STATUS of a message it holds (o2net_process_message(),  *)
(* O2NET_MSG_STATUS_MAGIC, then o2net_complete_nsw(); core: RecvStatus).  *)
(* The call returns the status now: one round trip, as in today's o2net.  *)
(* S drops the held message, which moves its ack when it was the lowest;  *)
(* the ack travels on S's next MSG, or on an ACK frame (SendAck).         *)
RecvStatus ==
    /\ toS # << >>
    /\ LET f == Head(toS)
           x == held[f.seq]
       IN
       /\ f.seq \in DOMAIN held
       /\ held' = Without(held, f.seq)
       /\ maxStatus' = Max2(maxStatus, f.seq)
       /\ toS' = Tail(toS)
       /\ ret' = [ret EXCEPT ![x] = "ok"]
       /\ retStatus' = [retStatus EXCEPT ![x] = f.val]
       /\ waiting' = [waiting EXCEPT ![x[1]] = FALSE]
       /\ callNo' = [callNo EXCEPT ![x[1]] = @ + 1]
    /\ UNCHANGED <<nextSeq, ackSent, recvVars, conn, toR, resets, incVars, runs, lost, hostileSent>>

(* S receives a STATUS for a message it no longer holds: a second copy,   *)
(* sent by R for a re-sent duplicate (RecvDup), or for a message of an    *)
(* earlier incarnation.  S drops it (core: RecvStaleStatus; today an      *)
(* unknown msg_num is ignored the same way).                              *)
RecvStaleStatus ==
    /\ toS # << >>
    /\ Head(toS).seq \notin DOMAIN held
    /\ toS' = Tail(toS)
    /\ UNCHANGED <<callerVars, senderVars, recvVars, conn, toR, resets, incVars, historyVars, hostileSent>>

(* The link is quiet and S's ack has moved past the last one it wrote on  *)
(* this connection: S writes an ACK frame (new; in the implementation a   *)
(* delayed-ack timer, suppressed when a MSG or a STATUS of the other      *)
(* direction carried the ack first, as TCP's delayed ACK; core: SendAck). *)
(* This is what frees R's last MHs once the calls stop.                   *)
SendAck ==
    /\ conn = "up"
    /\ AckMode # "none"
    /\ Ack > ackSent
    /\ toR' = Append(toR, AckFrame(Ack))
    /\ ackSent' = Ack
    /\ UNCHANGED <<callerVars, nextSeq, held, maxStatus, recvVars, conn, toS, resets, incVars, historyVars,
                   hostileSent>>

-----------------------------------------------------------------------------
(***************************************************************************)
(*                          Node R: the handler side                       *)
(***************************************************************************)

(* R receives a MSG whose msg_seq is in its window and has no MH          *)
(* (o2net_process_message(), O2NET_MSG_MAGIC; core: RecvMsg).  R first    *)
(* applies the frame's ack, freeing the MHs it covers, then inserts an    *)
(* MH, marked running, and queues the handler (RunHandler).               *)
RecvMsg ==
    /\ toR # << >>
    /\ LET f  == Head(toR)
           na == Max2(ackRecv, f.ack)
       IN
       /\ f.kind = "msg"
       /\ InRecvWindow(f.seq, na)
       /\ (f.seq \notin DOMAIN mh \/ f.seq <= na)
       /\ ackRecv' = na
       /\ LET gone == {t \in DOMAIN mh : t <= na}
          IN  /\ orphans' = orphans \cup Calls({mh[t].call : t \in {u \in gone : mh[u].st = "running"}})
              /\ mh' = [t \in DOMAIN mh \ gone |-> mh[t]]
                          @@ (f.seq :> [call |-> f.val, st |-> "running", status |-> NoCall])
       /\ toR' = Tail(toR)
    /\ UNCHANGED <<callerVars, senderVars, conn, toS, resets, incVars, historyVars, hostileSent>>

(* R receives a MSG in its window whose MH exists: a duplicate, re-sent  *)
(* by S on a new connection (core: RecvDup).  The handler does not run    *)
(* again: if the MH holds the status R sends it back; if the handler      *)
(* still runs, RunHandler sends it.  The frame's ack is applied first (it *)
(* cannot cover this msg_seq: S holds it).                                *)
RecvDup ==
    /\ toR # << >>
    /\ LET f  == Head(toR)
           na == Max2(ackRecv, f.ack)
       IN
       /\ f.kind = "msg"
       /\ InRecvWindow(f.seq, na)
       /\ f.seq \in DOMAIN mh
       /\ f.seq > na
       /\ ApplyAck(f.ack)
       /\ toR' = Tail(toR)
       /\ toS' = IF mh[f.seq].st = "done"
                    THEN Append(toS, StatusFrame(f.seq, mh[f.seq].status))
                    ELSE toS
    /\ UNCHANGED <<callerVars, senderVars, conn, resets, incVars, historyVars, hostileSent>>

(* R receives a MSG outside its window: at or below S's ack (a message S  *)
(* has declared finished) or more than Window beyond it.  A correct S     *)
(* never sends one.  R logs a protocol error and closes the connection,   *)
(* as o2net does for a bad magic (o2net_process_message(); core:          *)
(* RefuseMsg).  Its memory stays bounded by Window whatever S sends.      *)
RefuseMsg ==
    /\ toR # << >>
    /\ LET f == Head(toR) IN
       /\ f.kind = "msg"
       /\ ~InRecvWindow(f.seq, Max2(ackRecv, f.ack))
       /\ ApplyAck(f.ack)
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ UNCHANGED <<callerVars, senderVars, resets, incVars, historyVars, hostileSent>>

(* R receives an ACK frame (new magic 0xfa5b in o2net_process_message();  *)
(* core: RecvAck) and frees every MH at or below it.                      *)
RecvAck ==
    /\ toR # << >>
    /\ Head(toR).kind = "ack"
    /\ ApplyAck(Head(toR).ack)
    /\ toR' = Tail(toR)
    /\ UNCHANGED <<callerVars, senderVars, conn, toS, resets, incVars, historyVars, hostileSent>>

(* The handler of an MH runs on R and returns its status (nmh->nh_func()   *)
(* in o2net_process_message(); core: RunHandler).  R stores the status in *)
(* the MH (the status only: the payload is dropped) and, if the           *)
(* connection is up, sends it back.  If it is down, the status waits in   *)
(* the MH for S's re-sent duplicate.  AckMode "atStatus" frees the MH     *)
(* here instead, as if sending the status were enough.                    *)
RunHandler ==
    \E s \in DOMAIN mh :
       /\ mh[s].st = "running"
       /\ LET x == mh[s].call IN
          /\ runs' = IF x = NoCall THEN runs ELSE [runs EXCEPT ![x] = @ + 1]
          /\ mh' = IF AckMode = "atStatus"
                      THEN Without(mh, s)
                      ELSE [mh EXCEPT ![s].st = "done", ![s].status = HandlerStatus(x)]
          /\ toS' = IF conn = "up" /\ x # NoCall
                       THEN Append(toS, StatusFrame(s, HandlerStatus(x)))
                       ELSE toS
       /\ UNCHANGED <<callerVars, senderVars, orphans, ackRecv, conn, toR, resets, incVars, ret, retStatus, lost,
                      hostileSent>>

(* A handler whose MH R freed while it ran finishes (core: RunOrphan).    *)
(* Its status has no MH to go to: R drops it.                             *)
RunOrphan ==
    \E x \in orphans :
       /\ orphans' = orphans \ {x}
       /\ runs' = [runs EXCEPT ![x] = @ + 1]
       /\ UNCHANGED <<callerVars, senderVars, mh, ackRecv, netVars, incVars, ret, retStatus, lost, hostileSent>>

-----------------------------------------------------------------------------
(***************************************************************************)
(*       A hostile peer: it passed the handshake as S (it has S's address, *)
(*       it speaks v13) and writes whatever frames it likes.               *)
(***************************************************************************)

(* A MSG with any msg_seq and any ack up to a bound, for no caller: fresh *)
(* msg_seq far beyond the window, the same one again, acks that go back.  *)
HostileSend ==
    /\ Hostile
    /\ conn = "up"
    /\ hostileSent < MaxHostile
    /\ \E s \in 1..(Window + 2), a \in 0..Window :
          toR' = Append(toR, MsgFrame(s, NoCall, a))
    /\ hostileSent' = hostileSent + 1
    /\ UNCHANGED <<callerVars, senderVars, recvVars, conn, toS, resets, incVars, historyVars>>

(* An ACK with any value up to a bound. *)
HostileAck ==
    /\ Hostile
    /\ conn = "up"
    /\ hostileSent < MaxHostile
    /\ \E a \in 0..(Window + 2) : toR' = Append(toR, AckFrame(a))
    /\ hostileSent' = hostileSent + 1
    /\ UNCHANGED <<callerVars, senderVars, recvVars, conn, toS, resets, incVars, historyVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(*                  The environment: TCP, restarts, heartbeat              *)
(***************************************************************************)

(* The TCP connection is reset (o2net_shutdown_sc(); core: Reset).  Every *)
(* frame in flight, in both directions, is lost; callers stay blocked and *)
(* S keeps their messages.                                                *)
Reset ==
    /\ conn = "up"
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ resets' = resets + 1
    /\ UNCHANGED <<callerVars, senderVars, recvVars, incVars, historyVars, hostileSent>>

(* A new connection is made and both handshakes pass (o2net_start_connect()*)
(* / o2net_accept_one(), o2net_check_handshake(), which also reads the    *)
(* peer's Window; core: Connect).  As in ReliableO2net: R, seeing a new   *)
(* incarnation of S, frees the MHs of the old one and forgets its ack; S, *)
(* seeing a new incarnation of R, fails every held call with EHOSTDOWN.   *)
(* Then S re-sends every held message, each carrying its ack.             *)
Connect ==
    /\ conn = "down"
    /\ hbInc[S] # 0
    /\ hbInc[R] # 0
    /\ conn' = "up"
    /\ toS' = << >>
    /\ peerInc' = [peerInc EXCEPT ![R] = inc[S], ![S] = inc[R]]
    /\ IF peerInc[R] # inc[S]
          THEN FreeMhs
          ELSE UNCHANGED recvVars
    /\ IF peerInc[S] \notin {0, inc[R]}
          THEN /\ FailCalls(HeldCallers)
               /\ held' = << >>
               /\ toR' = << >>
               /\ ackSent' = 0
          ELSE /\ UNCHANGED <<callerVars, held, ret, retStatus>>
               /\ toR' = Resend(held)
               /\ ackSent' = IF DOMAIN held = {} THEN 0 ELSE Ack
    /\ UNCHANGED <<nextSeq, maxStatus, resets, inc, hbInc, runs, lost, hostileSent>>

(* Node n crashes and starts again with a new incarnation (core: Restart). *)
(* A restarted S has lost its callers and held messages and starts        *)
(* msg_seq at 1; a restarted R has lost its MH tree, its ack and its      *)
(* running handlers, and every pending call is lost.                      *)
Restart(n) ==
    /\ inc' = [inc EXCEPT ![n] = @ + 1]
    /\ peerInc' = [peerInc EXCEPT ![n] = 0]
    /\ hbInc' = [hbInc EXCEPT ![Peer(n)] = inc[Peer(n)]]
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ IF n = S
          THEN /\ ret' = [x \in Call |-> IF x \in Pending THEN "abandoned" ELSE ret[x]]
               /\ waiting' = [c \in Caller |-> FALSE]
               /\ callNo' = [c \in Caller |-> IF waiting[c] THEN callNo[c] + 1 ELSE callNo[c]]
               /\ held' = << >>
               /\ nextSeq' = 1
               /\ ackSent' = 0
               /\ maxStatus' = 0
               /\ UNCHANGED <<recvVars, retStatus, lost>>
          ELSE /\ mh' = << >>
               /\ orphans' = {}
               /\ ackRecv' = 0
               /\ lost' = lost \cup Pending
               /\ UNCHANGED <<callerVars, senderVars, ret, retStatus>>
    /\ UNCHANGED <<resets, runs, hostileSent>>

(* Node m forgets its peer's incarnation, which it has learned is dead     *)
(* (o2net_disconnect_node(); core: forgetPeer): it disconnects and          *)
(*   on S: every held call fails with EHOSTDOWN;                          *)
(*   on R: the MHs of S are freed and its ack forgotten.                  *)
ForgetPeer(m) ==
    /\ peerInc' = [peerInc EXCEPT ![m] = 0]
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ UNCHANGED resets
    /\ IF m = S
          THEN /\ FailCalls(HeldCallers)
               /\ held' = << >>
               /\ UNCHANGED <<recvVars, ackSent>>
          ELSE /\ FreeMhs
               /\ UNCHANGED <<callerVars, held, ackSent, ret, retStatus>>

(* The heartbeat of Peer(n) declares the incarnation of n it knew dead    *)
(* (o2net_hb_node_down_cb(); core: HbNodeDown), as in ReliableO2net.      *)
HbNodeDown(n) ==
    /\ hbInc[n] # 0
    /\ hbInc[n] # inc[n]
    /\ hbInc' = [hbInc EXCEPT ![n] = 0]
    /\ LET m == Peer(n) IN
       IF peerInc[m] \in {0, hbInc[n]}
          THEN ForgetPeer(m)
          ELSE UNCHANGED <<peerInc, netVars, callerVars, held, ackSent, recvVars, ret, retStatus>>
    /\ UNCHANGED <<nextSeq, maxStatus, inc, runs, lost, hostileSent>>

(* The heartbeat of Peer(n) sees n alive again (o2net_hb_node_up_cb();    *)
(* core: HbNodeUp), as in ReliableO2net.                                  *)
HbNodeUp(n) ==
    /\ hbInc[n] = 0
    /\ hbInc' = [hbInc EXCEPT ![n] = inc[n]]
    /\ LET m == Peer(n) IN
       IF peerInc[m] \notin {0, inc[n]}
          THEN ForgetPeer(m)
          ELSE UNCHANGED <<peerInc, netVars, callerVars, held, ackSent, recvVars, ret, retStatus>>
    /\ UNCHANGED <<nextSeq, maxStatus, inc, runs, lost, hostileSent>>

-----------------------------------------------------------------------------
ProtocolNext ==
    \/ \E c \in Caller : Send(c)
    \/ RecvStatus
    \/ RecvStaleStatus
    \/ SendAck
    \/ RecvMsg
    \/ RecvDup
    \/ RefuseMsg
    \/ RecvAck
    \/ RunHandler
    \/ RunOrphan
    \/ Connect
    \/ \E n \in Node : HbNodeDown(n) \/ HbNodeUp(n)

\* The faults and the hostile peer: the environment takes these steps.
FaultNext ==
    \/ Reset
    \/ \E n \in Node : Restart(n)
    \/ HostileSend
    \/ HostileAck

\* Every caller has made all its calls and has its answer: the run is over.
Done ==
    /\ \A c \in Caller : ~waiting[c] /\ callNo[c] > CallsPerCaller
    /\ UNCHANGED vars

Next == ProtocolNext \/ FaultNext \/ Done

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Fairness, as in ReliableO2net, plus SendAck: a quiet link eventually   *)
(* carries the ack (the delayed-ack timer fires).                         *)
(***************************************************************************)
Fairness ==
    /\ WF_vars(RecvStatus)
    /\ WF_vars(RecvStaleStatus)
    /\ WF_vars(SendAck)
    /\ WF_vars(RecvMsg)
    /\ WF_vars(RecvDup)
    /\ WF_vars(RefuseMsg)
    /\ WF_vars(RecvAck)
    /\ WF_vars(RunHandler)
    /\ WF_vars(RunOrphan)
    /\ WF_vars(Connect)
    /\ \A n \in Node : WF_vars(HbNodeDown(n)) /\ WF_vars(HbNodeUp(n))

LiveSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(*                                Properties                               *)
(***************************************************************************)

\* No call's handler runs twice.
ExactlyOnceInv == \A x \in Call : runs[x] <= 1

\* A call that returns "ok" returns the status its own handler produced,
\* and that handler ran.
StatusFidelityInv ==
    \A x \in Call : ret[x] = "ok" => retStatus[x] = HandlerStatus(x) /\ runs[x] = 1

\* A call fails with EHOSTDOWN only if R restarted during it (or before it,
\* unseen by S).
HostDownInv == \A x \in Call : ret[x] = "EHOSTDOWN" => x \in lost

\* Every held message belongs to a caller blocked in that very call, and
\* every blocked caller has its message held.
HeldInv ==
    /\ \A s \in DOMAIN held : LET x == held[s] IN waiting[x[1]] /\ x = Current(x[1])
    /\ \A c \in Caller : waiting[c] => \E s \in DOMAIN held : held[s] = Current(c)

\* R's memory for S is bounded by the window, whatever S sends.
MHBoundInv == Cardinality(DOMAIN mh) <= Window

\* The acknowledgement is never ahead of what S still needs: while R's MHs
\* belong to this incarnation of S, every message S holds (and may re-send)
\* is above R's ack, so its MH, if any, is still there.
AckSafeInv ==
    peerInc[R] = inc[S] => \A s \in DOMAIN held : s > ackRecv

\* Liveness: once faults stop, every call returns (O2netCall!CallsReturn)...
CallsReturn == \A c \in Caller : waiting[c] ~> ~waiting[c]

\* ... and R's MH tree and S's held set drain once the callers stop: every
\* MH is eventually freed by an acknowledgement.
Drains == <>[](\A c \in Caller : ~waiting[c]) => <>[](mh = << >> /\ orphans = {} /\ held = << >>)

\* The refinement: the caller's view is a behaviour of O2netCall, unchanged.
Call_ == INSTANCE O2netCall
CallRefinement == Call_!Spec
=============================================================================
