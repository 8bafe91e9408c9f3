\* SPDX-License-Identifier: MIT
----------------------------- MODULE O2netCall -----------------------------
(***************************************************************************)
(* What a caller of o2net_send_message() may rely on, and nothing more.   *)
(*                                                                         *)
(* Callers on node S call handlers on node R, one call at a time each.     *)
(* A call ends exactly once, in one of three ways:                         *)
(*                                                                         *)
(*   "ok"         with the status of the one run of its handler;           *)
(*   "EHOSTDOWN"  only if R restarted (lost its state) during the call, or *)
(*                had restarted before it unseen by S; the handler then    *)
(*                ran at most once and will not run any more;              *)
(*   "abandoned"  S itself restarted: the caller is gone; the handler may  *)
(*                still run, at most once.                                 *)
(*                                                                         *)
(* A TCP reset is invisible here: it is a stuttering step.  The protocol   *)
(* in ReliableO2net refines this spec (checked by TLC as a PROPERTY in     *)
(* MCReliable.cfg, with the identity mapping on the variables below).     *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Caller,          \* the processes on node S that call o2net_send_message()
    CallsPerCaller,  \* each caller makes this many calls, one after another
    NoCall           \* a model value: "no status returned"

Call == Caller \X (1..CallsPerCaller)

\* The status a handler returns is a function of its message.  Every call
\* carries a different message, so a status returned to the wrong call is
\* visible.
HandlerStatus(x) == x

VARIABLES
    callNo,     \* callNo[c]: number of c's current call, or of its next one
    waiting,    \* waiting[c]: c is blocked in o2net_send_message()
    runs,       \* runs[x]: how many times the handler of call x has run
    ret,        \* ret[x]: "none", "ok", "EHOSTDOWN" or "abandoned"
    retStatus,  \* retStatus[x]: the status call x returned, NoCall if none
    lost        \* calls during (or just before) which R lost its state

vars == <<callNo, waiting, runs, ret, retStatus, lost>>

Current(c) == <<c, callNo[c]>>
Pending    == {Current(c) : c \in {d \in Caller : waiting[d]}}
Started(x) == x[2] < callNo[x[1]] \/ (x[2] = callNo[x[1]] /\ waiting[x[1]])

TypeOK ==
    /\ callNo \in [Caller -> 1..(CallsPerCaller + 1)]
    /\ waiting \in [Caller -> BOOLEAN]
    /\ runs \in [Call -> Nat]
    /\ ret \in [Call -> {"none", "ok", "EHOSTDOWN", "abandoned"}]
    /\ retStatus \in [Call -> Call \cup {NoCall}]
    /\ lost \subseteq Call

Init ==
    /\ callNo = [c \in Caller |-> 1]
    /\ waiting = [c \in Caller |-> FALSE]
    /\ runs = [x \in Call |-> 0]
    /\ ret = [x \in Call |-> "none"]
    /\ retStatus = [x \in Call |-> NoCall]
    /\ lost = {}

(* Caller c starts its next call.  If R has restarted and S has not seen  *)
(* it yet, the call may already count as lost.                            *)
Start(c) ==
    /\ ~waiting[c]
    /\ callNo[c] <= CallsPerCaller
    /\ waiting' = [waiting EXCEPT ![c] = TRUE]
    /\ lost' \in {lost, lost \cup {Current(c)}}
    /\ UNCHANGED <<callNo, runs, ret, retStatus>>

(* The handler of a started call runs, once.  It cannot run for a call    *)
(* that already returned or failed; it can for one whose caller died.      *)
Run(x) ==
    /\ Started(x)
    /\ runs[x] = 0
    /\ ret[x] \in {"none", "abandoned"}
    /\ runs' = [runs EXCEPT ![x] = 1]
    /\ UNCHANGED <<callNo, waiting, ret, retStatus, lost>>

Finish(c, r, s) ==
    /\ ret' = [ret EXCEPT ![Current(c)] = r]
    /\ retStatus' = [retStatus EXCEPT ![Current(c)] = s]
    /\ waiting' = [waiting EXCEPT ![c] = FALSE]
    /\ callNo' = [callNo EXCEPT ![c] = @ + 1]

(* The call returns the status of its handler's one run.                  *)
Return(c) ==
    /\ waiting[c]
    /\ runs[Current(c)] = 1
    /\ Finish(c, "ok", HandlerStatus(Current(c)))
    /\ UNCHANGED <<runs, lost>>

(* R loses its state (it restarts): every pending call is lost.           *)
PeerLost ==
    /\ lost' = lost \cup Pending
    /\ UNCHANGED <<callNo, waiting, runs, ret, retStatus>>

(* Some lost calls fail at once with EHOSTDOWN (heartbeat declares R dead, *)
(* or the handshake shows R's new incarnation).                           *)
Fail(F) ==
    /\ F # {}
    /\ \A c \in F : waiting[c] /\ Current(c) \in lost
    /\ ret' = [x \in Call |-> IF \E c \in F : x = Current(c) THEN "EHOSTDOWN" ELSE ret[x]]
    /\ waiting' = [c \in Caller |-> IF c \in F THEN FALSE ELSE waiting[c]]
    /\ callNo' = [c \in Caller |-> IF c \in F THEN callNo[c] + 1 ELSE callNo[c]]
    /\ UNCHANGED <<runs, retStatus, lost>>

(* S restarts: every pending call is abandoned.                           *)
Abandon ==
    /\ ret' = [x \in Call |-> IF x \in Pending THEN "abandoned" ELSE ret[x]]
    /\ waiting' = [c \in Caller |-> FALSE]
    /\ callNo' = [c \in Caller |-> IF waiting[c] THEN callNo[c] + 1 ELSE callNo[c]]
    /\ UNCHANGED <<runs, retStatus, lost>>

Next ==
    \/ \E c \in Caller : Start(c) \/ Return(c)
    \/ \E x \in Call : Run(x)
    \/ PeerLost
    \/ \E F \in SUBSET Caller : Fail(F)
    \/ Abandon

Spec == Init /\ [][Next]_vars

(* Liveness a caller may expect once resets and restarts stop: every call *)
(* returns.  ReliableO2net checks it under the fairness it states.        *)
CallsReturn == \A c \in Caller : waiting[c] ~> ~waiting[c]
=============================================================================
