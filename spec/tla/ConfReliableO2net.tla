\* SPDX-License-Identifier: MIT
------------------------- MODULE ConfReliableO2net -------------------------
(***************************************************************************)
(* The conformance model: MCReliableO2net with one more variable, `act',  *)
(* naming the action of the last step and its parameters, for the traces  *)
(* that TLC's -simulate writes (they hold states only).  The conformance  *)
(* suite (conformance/) replays these traces on the implementation.       *)
(*                                                                         *)
(* ConfNext is ReliableO2net's Next, disjunct by disjunct, with the fault  *)
(* budgets of MCReliableO2net; each disjunct calls the unchanged action    *)
(* and records it.  The parameters are those of the action: c (a caller), *)
(* n (a node), s (the msg_seq of the MH whose handler ran: RunHandler      *)
(* picks it inside the action, so it is read off the step) and x (the     *)
(* orphan that finished, likewise).  The edge-cover traces come from       *)
(* MCReliableO2net itself (ConfReliableCover.cfg), whose actions TLC names *)
(* the same way.                                                          *)
(***************************************************************************)
EXTENDS MCReliableO2net

VARIABLE act   \* [name |-> action name] plus the action's parameters

\* The MH whose handler RunHandler ran: the only one that went from running to done.
RunSeq == CHOOSE s \in DOMAIN mh : mh[s].st = "running" /\ mh'[s].st = "done"

\* The orphan RunOrphan finished: the only one that left the set.
RunCall == CHOOSE x \in orphans : x \notin orphans'

ConfInit == Init /\ act = [name |-> "Init"]

ConfNext ==
    \/ \E c \in Caller : Send(c) /\ act' = [name |-> "Send", c |-> c]
    \/ RecvStatus      /\ act' = [name |-> "RecvStatus"]
    \/ RecvStaleStatus /\ act' = [name |-> "RecvStaleStatus"]
    \/ RecvRemoved     /\ act' = [name |-> "RecvRemoved"]
    \/ RecvMsg         /\ act' = [name |-> "RecvMsg"]
    \/ RecvDup         /\ act' = [name |-> "RecvDup"]
    \/ RunHandler      /\ act' = [name |-> "RunHandler", s |-> RunSeq]
    \/ RunOrphan       /\ act' = [name |-> "RunOrphan", x |-> RunCall]
    \/ RecvRemove      /\ act' = [name |-> "RecvRemove"]
    \/ Connect         /\ act' = [name |-> "Connect"]
    \/ \E n \in Node : HbNodeDown(n) /\ act' = [name |-> "HbNodeDown", n |-> n]
    \/ \E n \in Node : HbNodeUp(n)   /\ act' = [name |-> "HbNodeUp", n |-> n]
    \/ MCReset         /\ act' = [name |-> "Reset"]
    \/ \E n \in Node : MCRestart(n) /\ act' = [name |-> "Restart", n |-> n]
    \/ Done            /\ act' = [name |-> "Done"]

ConfSpec == ConfInit /\ [][ConfNext]_<<vars, act>>
=============================================================================
