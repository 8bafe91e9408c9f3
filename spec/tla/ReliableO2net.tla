\* SPDX-License-Identifier: MIT
--------------------------- MODULE ReliableO2net ---------------------------
(***************************************************************************)
(* The reliable o2net protocol of the ocfs2-devel RFC "make ocfs2/o2net   *)
(* reliable" (Changwei Ge, November 2017), with what a real cluster adds.  *)
(*                                                                         *)
(* Callers on node S send messages to node R and block until the handler  *)
(* on R has run and its status is back (o2net_send_message()).  The RFC:  *)
(*                                                                         *)
(*   S tags every message with msg_seq and holds it until it is finished, *)
(*     re-sending it on every new TCP connection;                          *)
(*   R keeps a Message Holder (MH) per msg_seq in a red-black tree: a      *)
(*     message whose MH exists is a duplicate and is not handled again;    *)
(*     the MH stores the handler's status, which is sent back;             *)
(*   S, once it has the status, asks R to remove the MH; R removes it and  *)
(*     confirms; only then does the call return.                           *)
(*                                                                         *)
(* The RFC leaves node restarts open.  A restarted S starts msg_seq again  *)
(* and finds R's old MHs; a restarted R has lost its MHs and runs a        *)
(* re-sent message again.  With Incarnation = FALSE this module is the RFC *)
(* as written, and TLC finds both (MCRfcSenderRestart, MCRfcReceiverRestart).*)
(* With Incarnation = TRUE it carries the fix: each node has an            *)
(* incarnation (like RDS's gen_num or a Kafka producer epoch; in the       *)
(* implementation the node's heartbeat generation), sent in the handshake. *)
(* R frees the MHs of an earlier incarnation of S; S fails, with           *)
(* EHOSTDOWN, the calls it held for an earlier incarnation of R.           *)
(*                                                                         *)
(* One direction is modelled: S calls, R handles.  The implementation runs *)
(* one instance per ordered pair of nodes, sharing the connection.  Each   *)
(* action names the kernel function (fs/ocfs2/cluster/tcp.c) it models or  *)
(* would change, and the method of the same name in the implementation's   *)
(* protocol core (org.ocfs2.o2net.core) that carries it out.              *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Caller,          \* the processes on node S that call o2net_send_message()
    CallsPerCaller,  \* each caller makes this many calls, one after another
    Incarnation,     \* TRUE: the fix; FALSE: the RFC as written
    NoCall           \* a model value: "no call", "no status"

ASSUME CallsPerCaller \in Nat \ {0}
ASSUME Incarnation \in BOOLEAN

S == "S"
R == "R"
Node == {S, R}
Peer(n) == IF n = S THEN R ELSE S

Call == Caller \X (1..CallsPerCaller)

\* See O2netCall: a handler's status is a function of its message, and
\* every call's message is different.
HandlerStatus(x) == x

(***************************************************************************)
(* Frames.  One kind per o2net magic: MSG (0xfa55), STATUS (0xfa56), and  *)
(* the two new ones, MH_REMOVE (0xfa59) and MH_REMOVED (0xfa5a).  `val' is *)
(* the payload of a MSG (which call it is) or the status of a STATUS.     *)
(***************************************************************************)
MsgFrame(s, x)     == [kind |-> "msg",     seq |-> s, val |-> x]
StatusFrame(s, st) == [kind |-> "status",  seq |-> s, val |-> st]
RemoveFrame(s)     == [kind |-> "remove",  seq |-> s, val |-> NoCall]
RemovedFrame(s)    == [kind |-> "removed", seq |-> s, val |-> NoCall]

VARIABLES
    \* Node S, the caller side.
    callNo,     \* callNo[c]: number of c's current call, or of its next one
    waiting,    \* waiting[c]: c is blocked in o2net_send_message()
    nextSeq,    \* the msg_seq S gives its next message (1 after a restart)
    held,       \* S's held messages: msg_seq -> [call, phase, status]
                \*   phase "msg": waiting for the status;
                \*   phase "remove": status kept, MH_REMOVE sent, waiting
                \*   for MH_REMOVED
    \* Node R, the handler side.
    mh,         \* R's MH tree: msg_seq -> [call, st, status], st "running"
                \*   while the handler runs, "done" once the status is stored
    orphans,    \* calls whose handler still runs but whose MH R has freed
    \* The TCP connection between S and R; at most one (kernel: nn_sc).
    conn,       \* "up" or "down"
    toR,        \* frames in flight from S to R on the current connection
    toS,        \* frames in flight from R to S on the current connection
    resets,     \* how many times the connection was reset (history, to bound it)
    \* Incarnations and heartbeat.
    inc,        \* inc[n]: node n's incarnation; a restart changes it
    peerInc,    \* peerInc[n]: the incarnation of Peer(n) that n saw in the
                \*   last handshake, 0 if none since n started or since n's
                \*   heartbeat declared that incarnation dead
    hbInc,      \* hbInc[n]: the incarnation of n that Peer(n)'s heartbeat
                \*   believes alive; 0 once it has declared n dead
    \* History variables: the caller's view (O2netCall) and what happened.
    runs,       \* runs[x]: how many times x's handler has run
    ret,        \* ret[x]: "none", "ok", "EHOSTDOWN" or "abandoned"
    retStatus,  \* retStatus[x]: the status call x returned, NoCall if none
    lost        \* calls during (or just before) which R restarted

callerVars  == <<callNo, waiting>>
senderVars  == <<nextSeq, held>>
recvVars    == <<mh, orphans>>
netVars     == <<conn, toR, toS, resets>>
incVars     == <<inc, peerInc, hbInc>>
historyVars == <<runs, ret, retStatus, lost>>
vars == <<callerVars, senderVars, recvVars, netVars, incVars, historyVars>>

-----------------------------------------------------------------------------
(* Helpers. *)

Current(c) == <<c, callNo[c]>>
Pending    == {Current(c) : c \in {d \in Caller : waiting[d]}}

Without(f, k) == [i \in DOMAIN f \ {k} |-> f[i]]

RECURSIVE Ascending(_)
Ascending(set) ==
    IF set = {} THEN << >>
    ELSE LET m == CHOOSE i \in set : \A j \in set : i <= j
         IN  <<m>> \o Ascending(set \ {m})

\* What S writes first on a new connection: every held message in msg_seq
\* order, MSG while the status is missing, MH_REMOVE once it is kept.
Resend(h) ==
    LET ss == Ascending(DOMAIN h)
    IN  [i \in 1..Len(ss) |->
            IF h[ss[i]].phase = "msg" THEN MsgFrame(ss[i], h[ss[i]].call)
                                      ELSE RemoveFrame(ss[i])]

\* The incarnation of S that R's MH tree belongs to.  The RFC as written
\* has no incarnation: every MH belongs to "S", whatever S's restarts.
MhOwner == IF Incarnation THEN peerInc[R] ELSE 0

\* Fail the calls of the callers in F with EHOSTDOWN.
FailCalls(F) ==
    /\ ret' = [x \in Call |-> IF \E c \in F : x = Current(c) THEN "EHOSTDOWN" ELSE ret[x]]
    /\ waiting' = [c \in Caller |-> IF c \in F THEN FALSE ELSE waiting[c]]
    /\ callNo' = [c \in Caller |-> IF c \in F THEN callNo[c] + 1 ELSE callNo[c]]
    /\ UNCHANGED retStatus

HeldCallers == {held[s].call[1] : s \in DOMAIN held}

\* R frees every MH; handlers still running become orphans.
FreeMhs ==
    /\ orphans' = orphans \cup {mh[s].call : s \in {t \in DOMAIN mh : mh[t].st = "running"}}
    /\ mh' = << >>

-----------------------------------------------------------------------------
TypeOK ==
    /\ callNo \in [Caller -> 1..(CallsPerCaller + 1)]
    /\ waiting \in [Caller -> BOOLEAN]
    /\ nextSeq \in Nat \ {0}
    /\ DOMAIN held \subseteq 1..(nextSeq - 1)
    /\ \A s \in DOMAIN held :
          held[s] \in [call : Call, phase : {"msg", "remove"}, status : Call \cup {NoCall}]
    /\ DOMAIN mh \subseteq Nat \ {0}
    /\ \A s \in DOMAIN mh :
          mh[s] \in [call : Call, st : {"running", "done"}, status : Call \cup {NoCall}]
    /\ orphans \subseteq Call
    /\ conn \in {"up", "down"}
    /\ resets \in Nat
    /\ \A i \in 1..Len(toR) : toR[i].kind \in {"msg", "remove"}
    /\ \A i \in 1..Len(toS) : toS[i].kind \in {"status", "removed"}
    /\ inc \in [Node -> Nat \ {0}]
    /\ peerInc \in [Node -> Nat]
    /\ hbInc \in [Node -> Nat]
    /\ runs \in [Call -> Nat]
    /\ ret \in [Call -> {"none", "ok", "EHOSTDOWN", "abandoned"}]
    /\ retStatus \in [Call -> Call \cup {NoCall}]
    /\ lost \subseteq Call

Init ==
    /\ callNo = [c \in Caller |-> 1]
    /\ waiting = [c \in Caller |-> FALSE]
    /\ nextSeq = 1
    /\ held = << >>
    /\ mh = << >>
    /\ orphans = {}
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

-----------------------------------------------------------------------------
(***************************************************************************)
(*                          Node S: the caller side                        *)
(***************************************************************************)

(* Caller c on S starts its next call (o2net_send_message_vec(); core:    *)
(* Send).  S tags the message with the next msg_seq and holds it until    *)
(* the call is finished.  If the connection is up S writes the MSG frame  *)
(* now; if not, the message waits in `held' and goes out on the next      *)
(* connection (Connect).  A caller calls only while S's heartbeat sees R  *)
(* alive: towards a node declared dead o2net_send_message() fails at once *)
(* with ENOTCONN, a step that changes nothing here.  If R has restarted   *)
(* and S's heartbeat has not seen it yet, the call counts as lost.        *)
Send(c) ==
    /\ ~waiting[c]
    /\ callNo[c] <= CallsPerCaller
    /\ hbInc[R] # 0
    /\ waiting' = [waiting EXCEPT ![c] = TRUE]
    /\ held' = held @@ (nextSeq :> [call |-> Current(c), phase |-> "msg", status |-> NoCall])
    /\ nextSeq' = nextSeq + 1
    /\ toR' = IF conn = "up" THEN Append(toR, MsgFrame(nextSeq, Current(c))) ELSE toR
    /\ lost' = IF hbInc[R] # inc[R] THEN lost \cup {Current(c)} ELSE lost
    /\ UNCHANGED <<callNo, recvVars, conn, toS, resets, incVars, runs, ret, retStatus>>

(* S receives a STATUS frame for a message still waiting for its status   *)
(* (o2net_process_message(), O2NET_MSG_STATUS_MAGIC; today it completes   *)
(* the waiter, o2net_complete_nsw(); core: RecvStatus).  S keeps the      *)
(* status with the held message and sends MH_REMOVE; the caller stays     *)
(* blocked until R confirms.                                              *)
RecvStatus ==
    /\ toS # << >>
    /\ LET f == Head(toS) IN
       /\ f.kind = "status"
       /\ f.seq \in DOMAIN held
       /\ held[f.seq].phase = "msg"
       /\ held' = [held EXCEPT ![f.seq].phase = "remove", ![f.seq].status = f.val]
       /\ toS' = Tail(toS)
       /\ toR' = Append(toR, RemoveFrame(f.seq))
    /\ UNCHANGED <<callerVars, nextSeq, recvVars, conn, resets, incVars, historyVars>>

(* S receives a STATUS frame it no longer needs: the status of a message  *)
(* already in phase "remove", sent again by R for a re-sent duplicate     *)
(* (RecvDup), or of a message S no longer holds.  S drops it (core:       *)
(* RecvStaleStatus; today an unknown msg_num is ignored the same way).    *)
RecvStaleStatus ==
    /\ toS # << >>
    /\ LET f == Head(toS) IN
       /\ f.kind = "status"
       /\ IF f.seq \in DOMAIN held THEN held[f.seq].phase = "remove" ELSE TRUE
       /\ toS' = Tail(toS)
    /\ UNCHANGED <<callerVars, senderVars, recvVars, conn, toR, resets, incVars, historyVars>>

(* S receives MH_REMOVED for a message in phase "remove" (new in           *)
(* o2net_process_message(); core: RecvRemoved).  The MH is gone on R, so  *)
(* S drops the held message and the call returns the kept status: this is *)
(* where o2net_send_message_vec() returns to its caller.                 *)
RecvRemoved ==
    /\ toS # << >>
    /\ LET f == Head(toS)
           x == held[f.seq].call
       IN
       /\ f.kind = "removed"
       /\ f.seq \in DOMAIN held
       /\ held[f.seq].phase = "remove"
       /\ held' = Without(held, f.seq)
       /\ toS' = Tail(toS)
       /\ ret' = [ret EXCEPT ![x] = "ok"]
       /\ retStatus' = [retStatus EXCEPT ![x] = held[f.seq].status]
       /\ waiting' = [waiting EXCEPT ![x[1]] = FALSE]
       /\ callNo' = [callNo EXCEPT ![x[1]] = @ + 1]
    /\ UNCHANGED <<nextSeq, recvVars, conn, toR, resets, incVars, runs, lost>>

-----------------------------------------------------------------------------
(***************************************************************************)
(*                          Node R: the handler side                       *)
(***************************************************************************)

(* R receives a MSG frame whose msg_seq has no MH (o2net_process_message(), *)
(* O2NET_MSG_MAGIC: "search for Message Holder: NOT FOUND - insert one";  *)
(* core: RecvMsg).  R inserts an MH, marked running, and queues the       *)
(* handler, which runs as its own step (RunHandler).                     *)
RecvMsg ==
    /\ toR # << >>
    /\ LET f == Head(toR) IN
       /\ f.kind = "msg"
       /\ f.seq \notin DOMAIN mh
       /\ mh' = mh @@ (f.seq :> [call |-> f.val, st |-> "running", status |-> NoCall])
       /\ toR' = Tail(toR)
    /\ UNCHANGED <<callerVars, senderVars, orphans, conn, toS, resets, incVars, historyVars>>

(* R receives a MSG frame whose MH exists: a duplicate, re-sent by S on a *)
(* new connection ("FOUND - means a duplicated one"; core: RecvDup).  The *)
(* handler does not run again.  If the MH holds a status R sends it back; *)
(* if the handler is still running R sends nothing now: RunHandler sends  *)
(* the status when it is stored, on the connection up at that moment.     *)
RecvDup ==
    /\ toR # << >>
    /\ LET f == Head(toR) IN
       /\ f.kind = "msg"
       /\ f.seq \in DOMAIN mh
       /\ toR' = Tail(toR)
       /\ toS' = IF mh[f.seq].st = "done"
                    THEN Append(toS, StatusFrame(f.seq, mh[f.seq].status))
                    ELSE toS
    /\ UNCHANGED <<callerVars, senderVars, recvVars, conn, resets, incVars, historyVars>>

(* The handler of an MH runs on R and returns its status (nmh->nh_func()   *)
(* in o2net_process_message(); core: RunHandler).  R stores the status in *)
(* the MH and, if the connection is up, sends it back                      *)
(* (o2net_send_status_magic()).  If it is down, the status waits in the   *)
(* MH for S's re-sent duplicate.                                          *)
RunHandler ==
    \E s \in DOMAIN mh :
       /\ mh[s].st = "running"
       /\ runs' = [runs EXCEPT ![mh[s].call] = @ + 1]
       /\ mh' = [mh EXCEPT ![s].st = "done", ![s].status = HandlerStatus(mh[s].call)]
       /\ toS' = IF conn = "up" THEN Append(toS, StatusFrame(s, HandlerStatus(mh[s].call))) ELSE toS
       /\ UNCHANGED <<callerVars, senderVars, orphans, conn, toR, resets, incVars, ret, retStatus, lost>>

(* A handler whose MH R freed while it ran (R learned that S restarted)   *)
(* finishes (core: RunOrphan).  Its status has no MH to go to and no      *)
(* caller to go back to: R drops it.  It must not be stored into the MH   *)
(* of a newer message that happens to reuse the msg_seq.                  *)
RunOrphan ==
    \E x \in orphans :
       /\ orphans' = orphans \ {x}
       /\ runs' = [runs EXCEPT ![x] = @ + 1]
       /\ UNCHANGED <<callerVars, senderVars, mh, netVars, incVars, ret, retStatus, lost>>

(* R receives MH_REMOVE (new in o2net_process_message(); core: RecvRemove). *)
(* R removes the MH, if it still exists, and confirms with MH_REMOVED.    *)
(* Removal is idempotent: S re-sends MH_REMOVE on every new connection    *)
(* until it is confirmed, so the MH may already be gone.                  *)
RecvRemove ==
    /\ toR # << >>
    /\ LET f == Head(toR) IN
       /\ f.kind = "remove"
       /\ mh' = IF f.seq \in DOMAIN mh THEN Without(mh, f.seq) ELSE mh
       /\ toR' = Tail(toR)
       /\ toS' = Append(toS, RemovedFrame(f.seq))
    /\ UNCHANGED <<callerVars, senderVars, orphans, conn, resets, incVars, historyVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(*                  The environment: TCP, restarts, heartbeat              *)
(***************************************************************************)

(* The TCP connection is reset (a socket error or EOF: o2net_shutdown_sc() *)
(* and o2net_set_nn_state(nn, NULL, 0, err); core: Reset).  Every frame   *)
(* in flight, in both directions, is lost.  Today's o2net completes every *)
(* waiter with O2NET_ERR_DIED here; with the RFC the callers stay blocked *)
(* and S keeps their messages.  A later connection never carries a frame  *)
(* of this one: the kernel frees the old socket and its buffers.          *)
Reset ==
    /\ conn = "up"
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ resets' = resets + 1
    /\ UNCHANGED <<callerVars, senderVars, recvVars, incVars, historyVars>>

(* A new connection is made and both handshakes pass (o2net_start_connect() *)
(* on the higher-numbered node, o2net_accept_one() on the other, then     *)
(* o2net_sc_connect_completed() and o2net_check_handshake() on both; core: *)
(* Connect).  The acceptor takes the connection only from a node its      *)
(* heartbeat sees alive.  Unlike today's o2net, it is made again after    *)
(* every drop while both nodes heartbeat.  With Incarnation, each side    *)
(* reads the other's incarnation from the handshake:                      *)
(*   R, seeing a new incarnation of S, frees the MHs of the old one;      *)
(*   S, seeing a new incarnation of R, fails every held call with         *)
(*   EHOSTDOWN: the old R may have run the handler, the new one has no MH. *)
(* Then S re-sends every held message: MSG, or MH_REMOVE once the status  *)
(* is kept.                                                               *)
Connect ==
    /\ conn = "down"
    /\ hbInc[S] # 0
    /\ hbInc[R] # 0
    /\ conn' = "up"
    /\ toS' = << >>
    /\ IF Incarnation
          THEN peerInc' = [peerInc EXCEPT ![R] = inc[S], ![S] = inc[R]]
          ELSE UNCHANGED peerInc
    /\ IF Incarnation /\ peerInc[R] # inc[S]
          THEN FreeMhs
          ELSE UNCHANGED recvVars
    /\ IF Incarnation /\ peerInc[S] \notin {0, inc[R]}
          THEN /\ FailCalls(HeldCallers)
               /\ held' = << >>
               /\ toR' = << >>
          ELSE /\ UNCHANGED <<callerVars, held, ret, retStatus>>
               /\ toR' = Resend(held)
    /\ UNCHANGED <<nextSeq, resets, inc, hbInc, runs, lost>>

(* Node n crashes and starts again with a new incarnation (core: Restart,  *)
(* with a fresh incarnation).  The connection drops.  A restarted S has   *)
(* lost its callers (their calls are abandoned) and its held messages,    *)
(* and starts msg_seq at 1 again.  A restarted R has lost its MH tree and *)
(* its running handlers; every pending call is now lost.  The restarted   *)
(* node's heartbeat finds its peer alive.  Whether the peer's heartbeat   *)
(* notices the restart before the next connection is open: HbNodeDown.   *)
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
               /\ UNCHANGED <<recvVars, retStatus, lost>>
          ELSE /\ mh' = << >>
               /\ orphans' = {}
               /\ lost' = lost \cup Pending
               /\ UNCHANGED <<callerVars, senderVars, ret, retStatus>>
    /\ UNCHANGED <<resets, runs>>

(* Node m forgets its peer's incarnation, which it has learned is dead     *)
(* (o2net_disconnect_node(); core: forgetPeer): it disconnects and          *)
(*   on S: every held call fails with EHOSTDOWN (today: O2NET_ERR_DIED);  *)
(*   on R: the MHs of S are freed, running handlers become orphans.       *)
ForgetPeer(m) ==
    /\ peerInc' = [peerInc EXCEPT ![m] = 0]
    /\ conn' = "down"
    /\ toR' = << >>
    /\ toS' = << >>
    /\ UNCHANGED resets
    /\ IF m = S
          THEN /\ FailCalls(HeldCallers)
               /\ held' = << >>
               /\ UNCHANGED recvVars
          ELSE /\ FreeMhs
               /\ UNCHANGED <<callerVars, held, ret, retStatus>>

(* The heartbeat of Peer(n) sees that n restarted and declares the        *)
(* incarnation it knew dead (o2hb sees a new generation and reports node  *)
(* down; o2net_hb_node_down_cb(); core: HbNodeDown).  If Peer(n)'s o2net  *)
(* still talks to that incarnation, or to none, it forgets it             *)
(* (ForgetPeer).  If a handshake already showed a newer incarnation, the  *)
(* news is old and o2net ignores it (the RFC as written cannot tell, and  *)
(* always acts).  Calls to n are refused until HbNodeUp.                  *)
HbNodeDown(n) ==
    /\ hbInc[n] # 0
    /\ hbInc[n] # inc[n]
    /\ hbInc' = [hbInc EXCEPT ![n] = 0]
    /\ LET m == Peer(n) IN
       IF ~Incarnation \/ peerInc[m] \in {0, hbInc[n]}
          THEN ForgetPeer(m)
          ELSE UNCHANGED <<peerInc, netVars, callerVars, held, recvVars, ret, retStatus>>
    /\ UNCHANGED <<nextSeq, inc, runs, lost>>

(* The heartbeat of Peer(n) sees n alive again, at incarnation inc[n]      *)
(* (o2net_hb_node_up_cb(); core: HbNodeUp): o2net may connect to n again.  *)
(* If Peer(n)'s o2net still has a session with an older incarnation (the  *)
(* node-down of that one came as old news, or never came), that          *)
(* incarnation is dead too: Peer(n) forgets it now (ForgetPeer), so that   *)
(* the next handshake does not fail calls made to the new one.            *)
HbNodeUp(n) ==
    /\ hbInc[n] = 0
    /\ hbInc' = [hbInc EXCEPT ![n] = inc[n]]
    /\ LET m == Peer(n) IN
       IF Incarnation /\ peerInc[m] \notin {0, inc[n]}
          THEN ForgetPeer(m)
          ELSE UNCHANGED <<peerInc, netVars, callerVars, held, recvVars, ret, retStatus>>
    /\ UNCHANGED <<nextSeq, inc, runs, lost>>

-----------------------------------------------------------------------------
ProtocolNext ==
    \/ \E c \in Caller : Send(c)
    \/ RecvStatus
    \/ RecvStaleStatus
    \/ RecvRemoved
    \/ RecvMsg
    \/ RecvDup
    \/ RunHandler
    \/ RunOrphan
    \/ RecvRemove
    \/ Connect
    \/ \E n \in Node : HbNodeDown(n) \/ HbNodeUp(n)

\* The faults: the environment, not the protocol, takes these steps.
FaultNext ==
    \/ Reset
    \/ \E n \in Node : Restart(n)

\* Every caller has made all its calls and has its answer: the run is over.
\* (Without this stuttering step TLC would report the end as a deadlock.)
Done ==
    /\ \A c \in Caller : ~waiting[c] /\ callNo[c] > CallsPerCaller
    /\ UNCHANGED vars

Next == ProtocolNext \/ FaultNext \/ Done

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Fairness.  Every protocol step that stays enabled is eventually taken:  *)
(* frames in flight are received, handlers finish, a dropped connection   *)
(* is made again, and heartbeat eventually reports a restart and sees the *)
(* node alive again.  Callers need not call (no fairness on Send), and    *)
(* faults need not happen (none on Reset or Restart).  A finite number of *)
(* faults is assumed by the models, which bound them.                     *)
(***************************************************************************)
Fairness ==
    /\ WF_vars(RecvStatus)
    /\ WF_vars(RecvStaleStatus)
    /\ WF_vars(RecvRemoved)
    /\ WF_vars(RecvMsg)
    /\ WF_vars(RecvDup)
    /\ WF_vars(RunHandler)
    /\ WF_vars(RunOrphan)
    /\ WF_vars(RecvRemove)
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

\* A call that returned leaves no Message Holder behind on R.
NoLeakInv ==
    \A x \in Call : ret[x] = "ok" =>
        /\ \A s \in DOMAIN mh : mh[s].call # x
        /\ x \notin orphans

\* A call fails with EHOSTDOWN only if R restarted during it (or before it,
\* unseen by S).
HostDownInv == \A x \in Call : ret[x] = "EHOSTDOWN" => x \in lost

\* Every held message belongs to a caller blocked in that very call: S
\* never forgets a waiter, and never keeps a message nobody waits for.
HeldInv ==
    /\ \A s \in DOMAIN held : LET x == held[s].call IN waiting[x[1]] /\ x = Current(x[1])
    /\ \A c \in Caller : waiting[c] => \E s \in DOMAIN held : held[s].call = Current(c)

\* MH_REMOVE is only ever sent for an MH whose status is stored.
RemoveAfterDoneInv ==
    \A i \in 1..Len(toR) :
        toR[i].kind = "remove" => (toR[i].seq \notin DOMAIN mh \/ mh[toR[i].seq].st = "done")

\* Liveness: once faults stop, every call returns (O2netCall!CallsReturn)...
CallsReturn == \A c \in Caller : waiting[c] ~> ~waiting[c]

\* ... and R's MH tree and S's held set drain, once the callers stop.
Drains == <>[](\A c \in Caller : ~waiting[c]) => <>[](mh = << >> /\ orphans = {} /\ held = << >>)

\* The refinement: the caller's view of the protocol is a behaviour of O2netCall.
Call_ == INSTANCE O2netCall
CallRefinement == Call_!Spec
=============================================================================
