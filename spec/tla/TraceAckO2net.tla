\* SPDX-License-Identifier: MIT
------------------------ MODULE TraceAckO2net ------------------------------
(***************************************************************************)
(* Trace validation for protocol v13: is an event log of the               *)
(* implementation a behaviour of AckO2net?  The v13 counterpart of         *)
(* TraceReliableO2net (same projection, same granularity).  TLC walks the  *)
(* log with a cursor `l'; every event must be matched by the unchanged     *)
(* action of AckO2net whose name it has, and the values the event logged   *)
(* (msg_seq, the call, the status, the incarnations, the acks) must agree  *)
(* with the spec's state.  The pattern of etcd's Traceetcdraft.tla and     *)
(* CCF's Traceccfraft.tla, without the Json module: the log is the         *)
(* generated module TraceLog (Logs, LogLengths, LogCaller,                 *)
(* LogCallsPerCaller, LogWindow, LogVerbose), written by the conformance   *)
(* suite (org.ocfs2.o2net.conformance.LogProjection).  The event schema is *)
(* in TraceReliableO2net.md (section 7 for v13: the field `a', a frame's   *)
(* ack, and the event AckOnStatus).                                        *)
(*                                                                         *)
(* One direction is modelled, S calls R: a log is the projection of a     *)
(* cluster's log on one ordered pair of nodes.  Each event was taken by   *)
(* the core of one side (`n' is "S" or "R"): S's core logs the caller     *)
(* side's actions, R's the handler side's, both the connection's and the  *)
(* heartbeat's.  A batch may hold several logs (Logs[t]); TLC matches    *)
(* them all in one run.                                                   *)
(*                                                                         *)
(* Granularity.  The spec's Connect, Reset and Restart change both sides  *)
(* at once; in the implementation each side's core takes its part when it *)
(* learns of it, and the other side may act in between.  The variable    *)
(* `up' holds the sides whose core is connected, as the log shows it:     *)
(*                                                                         *)
(*   Connect: the spec's Connect is matched at the connect event of the  *)
(*     first side or of the second; TLC tries both.  R's handler, which   *)
(*     sends its status only if R's core is connected, needs the spec's   *)
(*     Connect at R's event; S's calls after S's core failed its calls on *)
(*     a new incarnation of R need it at S's.  A side may also connect on *)
(*     a connection the peer has already dropped or crashed on (it never  *)
(*     connects on it): then the spec's Connect is not taken at all, and  *)
(*     the side's reset follows.  A log that needs it at both events    *)
(*     would have no linearisation (the spec's Connect would be coarser   *)
(*     than the implementation); TraceReliableO2net.md argues there is    *)
(*     none.                                                              *)
(*   Reset: the spec's Reset is the reset of the last side that held the  *)
(*     connection; until then the other side may still receive frames     *)
(*     written before the first reset, and what the first side sends is   *)
(*     lost with the connection.                                          *)
(*   Restart(n): split as Reset is.  n's core is gone when n logs        *)
(*     Restart (RestartIfLogged), but what n wrote before may still be    *)
(*     read: by a peer that still holds the connection, and by a peer     *)
(*     whose core has not yet read n's handshake on it, which may connect *)
(*     after n's crash and then read.  So while either side's core holds  *)
(*     n's connection the spec's Restart(n) waits in `pending': it is the *)
(*     reset of the last side holding the connection (ResetIfLogged), or  *)
(*     a silent step when an event needs it (FinishRestart: heartbeat     *)
(*     news, a Restart, n's next incarnation, or the peer's connect to    *)
(*     it).  The only silent step, and only there.                        *)
(***************************************************************************)
EXTENDS AckO2net, TraceLog

VARIABLES
    t,        \* the log being matched: Logs[t]
    l,        \* the cursor: the index in Logs[t] of the next event
    up,       \* the sides whose core is connected, as the log shows it
    pending   \* the nodes whose core is gone (Restart logged) while a
              \*   core still held the connection: Restart not yet taken

traceVars == <<t, l, up, pending>>

ASSUME LogsNonEmpty == Len(Logs) > 0 /\ \A i \in DOMAIN Logs : Len(Logs[i]) > 0
ASSUME LogsComplete == Len(LogLengths) = Len(Logs) /\ \A i \in DOMAIN Logs : Len(Logs[i]) = LogLengths[i]

Log == Logs[t]
Ev == Log[l]

\* The next event is of this kind, by the core of this node's current incarnation.
Is(kind) == l <= Len(Log) /\ Ev.e = kind /\ Ev.inc = inc[Ev.n]

Advance == l' = l + 1 /\ UNCHANGED t

\* The side's action changes nothing in the spec: a logged prefix or suffix.
Stutter == UNCHANGED vars

-----------------------------------------------------------------------------
(* Node S: the caller side.  S's core logs these.                         *)

\* A caller starts a call: the call is <<c, k>> with k the caller's call
\* number, and gets the next msg_seq.
SendIfLogged ==
    /\ Is("Send") /\ Ev.n = S
    /\ Ev.c \in Caller
    /\ Ev.x = Current(Ev.c)
    /\ Ev.s = nextSeq
    /\ Send(Ev.c)
    /\ Advance /\ UNCHANGED <<up, pending>>

\* The frame S receives is the head of toS: its kind, msg_seq and status.
HeadOfToS(kind) ==
    /\ toS # << >>
    /\ Head(toS).kind = kind
    /\ Head(toS).seq = Ev.s

RecvStaleStatusIfLogged ==
    /\ Is("RecvStaleStatus") /\ Ev.n = S
    /\ HeadOfToS("status") /\ Head(toS).val = Ev.st
    /\ RecvStaleStatus
    /\ Advance /\ UNCHANGED <<up, pending>>

\* The STATUS of a message S holds: the call returns with it (AckO2net's
\* one round trip).
RecvStatusIfLogged ==
    /\ Is("RecvStatus") /\ Ev.n = S
    /\ HeadOfToS("status") /\ Head(toS).val = Ev.st
    /\ Head(toS).seq \in DOMAIN held
    /\ RecvStatus
    /\ retStatus'[held[Ev.s]] = Ev.st
    /\ Advance /\ UNCHANGED <<up, pending>>

\* S's delayed-ack timer fired and S wrote its ack, the one the spec's S
\* has (Ack), on an ACK frame.  The implementation's S also counts the
\* acks its STATUS frames of the other direction carried (AckOnStatus), so
\* it writes an ACK frame only where the spec's SendAck is enabled too.
SendAckIfLogged ==
    /\ Is("SendAck") /\ Ev.n = S
    /\ Ev.a = Ack
    /\ SendAck
    /\ Advance /\ UNCHANGED <<up, pending>>

-----------------------------------------------------------------------------
(* Node R: the handler side.  R's core logs these.                        *)

\* The frame R receives is the head of toR: its kind and msg_seq.
HeadOfToR(kind) ==
    /\ toR # << >>
    /\ Head(toR).kind = kind
    /\ Head(toR).seq = Ev.s

\* The MSG carries S's ack, which R applies first (AckO2net's RecvMsg).
RecvMsgIfLogged ==
    /\ Is("RecvMsg") /\ Ev.n = R
    /\ HeadOfToR("msg") /\ Head(toR).val = Ev.x /\ Head(toR).ack = Ev.a
    /\ RecvMsg
    /\ Advance /\ UNCHANGED <<up, pending>>

RecvDupIfLogged ==
    /\ Is("RecvDup") /\ Ev.n = R
    /\ HeadOfToR("msg") /\ Head(toR).val = Ev.x /\ Head(toR).ack = Ev.a
    /\ RecvDup
    /\ Advance /\ UNCHANGED <<up, pending>>

\* The handler of the MH under msg_seq returned the status it logged; the
\* spec's handlers return HandlerStatus of their call.
RunHandlerIfLogged ==
    /\ Is("RunHandler") /\ Ev.n = R
    /\ Ev.s \in DOMAIN mh
    /\ mh[Ev.s].st = "running"
    /\ mh[Ev.s].call = Ev.x
    /\ Ev.st = HandlerStatus(Ev.x)
    /\ RunHandler
    /\ mh'[Ev.s].st = "done"
    /\ Advance /\ UNCHANGED <<up, pending>>

RunOrphanIfLogged ==
    /\ Is("RunOrphan") /\ Ev.n = R
    /\ Ev.x \in orphans
    /\ Ev.st = HandlerStatus(Ev.x)
    /\ RunOrphan
    /\ Ev.x \notin orphans'
    /\ Advance /\ UNCHANGED <<up, pending>>

\* R refuses a MSG outside its window and closes the connection: R's core
\* leaves it; the peer's reset, when it comes, finds the spec's connection
\* down.  A correct S never sends one.
RefuseMsgIfLogged ==
    /\ Is("RefuseMsg") /\ Ev.n = R
    /\ HeadOfToR("msg") /\ Head(toR).ack = Ev.a
    /\ RefuseMsg
    /\ up' = up \ {R}
    /\ Advance /\ UNCHANGED pending

\* R reads the ACK frame at the head of toR: the ack it logged.
RecvAckIfLogged ==
    /\ Is("RecvAck") /\ Ev.n = R
    /\ toR # << >> /\ Head(toR).kind = "ack" /\ Head(toR).ack = Ev.a
    /\ RecvAck
    /\ Advance /\ UNCHANGED <<up, pending>>

\* Departure: the implementation's S also stamps its ack on the STATUS
\* frames it writes for R's own calls (the other direction, S's handler
\* side), and R applies it when it reads one (R's RecvStatus or
\* RecvStaleStatus towards S, projected here as AckOnStatus).  AckO2net
\* models one direction and has no such frame; here it is R's ApplyAck of
\* that ack, which must be one S has had (every ack S writes is its Ack at
\* that moment, and Ack only grows within an incarnation of S), read while
\* R's core holds the connection.  TLC checks AckO2net's invariants on the
\* result, AckSafeInv among them.
AckOnStatusIfLogged ==
    /\ Is("AckOnStatus") /\ Ev.n = R
    /\ R \in up
    /\ conn = "up"
    /\ Ev.a <= Ack
    /\ ApplyAck(Ev.a)
    /\ UNCHANGED <<callerVars, senderVars, netVars, incVars, historyVars, hostileSent>>
    /\ Advance /\ UNCHANGED <<up, pending>>

-----------------------------------------------------------------------------
(* The connection, restarts and heartbeat: either side logs these.        *)

\* A side's core connects, having read the peer's handshake, which carried
\* the peer's incarnation.  The first side of a connection to do so takes
\* the spec's Connect or leaves it to the second; the second takes it
\* unless the first did.  A connection the peer never connects on (it
\* dropped it first, or crashed, its handshake still in flight: then the
\* handshake carries an incarnation of the peer that is already gone) may
\* never take it.
ConnectIfLogged ==
    /\ Is("Connect")
    /\ Ev.n \notin up
    /\ up' = up \cup {Ev.n}
    /\ IF Peer(Ev.n) \in up
          THEN /\ Ev.pinc = inc[Peer(Ev.n)]
               /\ IF conn = "up" THEN Stutter ELSE Connect
          ELSE \/ Ev.pinc = inc[Peer(Ev.n)] /\ Connect
               \/ Ev.pinc \in 1..inc[Peer(Ev.n)] /\ Stutter
    /\ Advance /\ UNCHANGED pending

\* A side's core resets.  The spec's Reset (or a pending Restart, which
\* drops the connection too) is the reset of the last side holding it.
ResetIfLogged ==
    /\ Is("Reset")
    /\ Ev.n \in up
    /\ up' = up \ {Ev.n}
    /\ IF up' # {}
          THEN Stutter /\ UNCHANGED pending
          ELSE IF pending # {}
                  THEN \E m \in pending : Restart(m) /\ pending' = pending \ {m}
                  ELSE IF conn = "up"
                          THEN Reset /\ UNCHANGED pending
                          ELSE Stutter /\ UNCHANGED pending
    /\ Advance

\* A node's core is gone: the node crashed (the first half of a restart;
\* its next incarnation starts later with a new core).  If a core still
\* holds the connection, the peer's or n's own, the frames n wrote may
\* still be read after this event: the peer's core reads them if it holds
\* the connection, and if n's core had connected but the peer's had not yet
\* read n's handshake, the peer's core may still connect on it (with n's
\* old incarnation) and read them.  The spec's Restart(n), which drops
\* every frame in flight, then waits in `pending'.  With neither core
\* holding the connection nothing n wrote is read any more, and the
\* spec's Restart(n) is this event.
RestartIfLogged ==
    /\ Is("Restart")
    /\ Ev.n \notin pending
    /\ up' = up \ {Ev.n}
    /\ IF up # {}
          THEN pending' = pending \cup {Ev.n} /\ Stutter
          ELSE Restart(Ev.n) /\ UNCHANGED pending
    /\ Advance

\* The silent step: a Restart no reset has taken yet, taken when the next
\* event needs it: heartbeat news, another Restart, an event of m's next
\* incarnation, or the peer's connect to that incarnation (the peer's core
\* never connected on m's last connection, so no reset of it comes).
FinishRestart ==
    /\ l <= Len(Log)
    /\ \E m \in pending :
          /\ \/ Ev.n = m
             \/ Ev.e \in {"HbNodeDown", "HbNodeUp", "Restart"}
             \/ Ev.e = "Connect" /\ Ev.n = Peer(m) /\ Ev.pinc > inc[m]
          /\ Restart(m)
          /\ pending' = pending \ {m}
    /\ UNCHANGED <<t, l, up>>

\* The heartbeat of side m declares the incarnation of its peer n that it
\* believed alive dead; m's core forgets n if the spec's ForgetPeer does.
HbNodeDownIfLogged ==
    /\ Is("HbNodeDown")
    /\ LET m == Ev.n
           n == Peer(Ev.n)
       IN /\ Ev.pinc = hbInc[n]
          /\ Ev.forgot = (peerInc[m] \in {0, hbInc[n]})
          /\ HbNodeDown(n)
          /\ up' = IF Ev.forgot THEN up \ {m} ELSE up
    /\ Advance /\ UNCHANGED pending

\* The heartbeat of side m sees its peer n alive, at n's current incarnation.
HbNodeUpIfLogged ==
    /\ Is("HbNodeUp")
    /\ LET m == Ev.n
           n == Peer(Ev.n)
       IN /\ Ev.pinc = inc[n]
          /\ Ev.forgot = (peerInc[m] \notin {0, inc[n]})
          /\ HbNodeUp(n)
          /\ up' = IF Ev.forgot THEN up \ {m} ELSE up
    /\ Advance /\ UNCHANGED pending

-----------------------------------------------------------------------------
TraceInit ==
    /\ Init
    /\ t \in DOMAIN Logs
    /\ l = 1
    /\ up = {}
    /\ pending = {}
    /\ \A i \in DOMAIN Logs : TLCSet(i, 1)   \* TraceAccepted's registers

TraceNext ==
    \/ SendIfLogged
    \/ RecvStatusIfLogged
    \/ RecvStaleStatusIfLogged
    \/ SendAckIfLogged
    \/ RecvMsgIfLogged
    \/ RecvDupIfLogged
    \/ RunHandlerIfLogged
    \/ RunOrphanIfLogged
    \/ RefuseMsgIfLogged
    \/ RecvAckIfLogged
    \/ AckOnStatusIfLogged
    \/ ConnectIfLogged
    \/ ResetIfLogged
    \/ RestartIfLogged
    \/ HbNodeDownIfLogged
    \/ HbNodeUpIfLogged
    \/ FinishRestart

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, traceVars>>

(***************************************************************************)
(* The verdict.  A state constraint, always TRUE, that prints a marker    *)
(* when a behaviour has matched the whole of log t.  A log is accepted   *)
(* iff TLC prints its marker and finds no error (the invariants of the    *)
(* spec hold on every state matched).  A log that cannot be matched ends  *)
(* with "No error has been found" and no marker: the suite reads the     *)
(* markers, not the exit code alone.  Quieter than an inverted invariant, *)
(* which prints the whole matching behaviour.  With LogVerbose (a        *)
(* definition of TraceLog) it also prints how many events of log t have   *)
(* been matched, each time that grows (register t, so TLC must run with   *)
(* one worker): for a rejected log, the last such line says where it      *)
(* diverged.  The suite checks quietly and runs the rejected logs again   *)
(* verbose.                                                               *)
(***************************************************************************)
TraceAccepted ==
    /\ l > Len(Log) => PrintT(<<"TRACE-ACCEPTED", t, Len(Log)>>)
    /\ LogVerbose /\ l > TLCGet(t) => PrintT(<<"TRACE-MATCHED", t, l - 1>>) /\ TLCSet(t, l)
=============================================================================
