\* SPDX-License-Identifier: MIT
--------------------------- MODULE ConfAckO2net ---------------------------
(***************************************************************************)
(* The conformance model of the one-round-trip protocol: MCAckO2net with  *)
(* one more variable, `act', naming the action of the last step and its   *)
(* parameters, for the traces that TLC's -simulate writes (they hold      *)
(* states only), as ConfReliableO2net does for ReliableO2net.  The        *)
(* conformance suite replays them on two v13 cores.                       *)
(*                                                                         *)
(* ConfNext is AckO2net's Next without the hostile peer (its frames name  *)
(* no caller; the attack tests and MCAckHostile cover it), disjunct by    *)
(* disjunct, each calling the unchanged action and recording it.          *)
(* Parameters: c (a caller), n (a node), s (the msg_seq of the MH whose   *)
(* handler ran) and x (the orphan that finished).                         *)
(***************************************************************************)
EXTENDS MCAckO2net

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
    \/ SendAck         /\ act' = [name |-> "SendAck"]
    \/ RecvMsg         /\ act' = [name |-> "RecvMsg"]
    \/ RecvDup         /\ act' = [name |-> "RecvDup"]
    \/ RefuseMsg       /\ act' = [name |-> "RefuseMsg"]
    \/ RecvAck         /\ act' = [name |-> "RecvAck"]
    \/ RunHandler      /\ act' = [name |-> "RunHandler", s |-> RunSeq]
    \/ RunOrphan       /\ act' = [name |-> "RunOrphan", x |-> RunCall]
    \/ Connect         /\ act' = [name |-> "Connect"]
    \/ \E n \in Node : HbNodeDown(n) /\ act' = [name |-> "HbNodeDown", n |-> n]
    \/ \E n \in Node : HbNodeUp(n)   /\ act' = [name |-> "HbNodeUp", n |-> n]
    \/ MCReset         /\ act' = [name |-> "Reset"]
    \/ \E n \in Node : MCRestart(n) /\ act' = [name |-> "Restart", n |-> n]
    \/ Done            /\ act' = [name |-> "Done"]

ConfSpec == ConfInit /\ [][ConfNext]_<<vars, act>>
=============================================================================
