\* SPDX-License-Identifier: MIT
-------------------------- MODULE MCReliableO2net --------------------------
(***************************************************************************)
(* Bounded models of ReliableO2net for TLC.  The protocol is unbounded;   *)
(* here the environment gets a budget of faults, as in etcd's MCetcdraft:  *)
(* the .cfg files swap Reset <- MCReset and Restart <- MCRestart, so that  *)
(* at most MaxResets TCP resets and MaxRestarts restarts happen, the      *)
(* latter only of the nodes in RestartNodes.  Bounding the faults is also  *)
(* what lets TLC check liveness, which holds "once faults stop".  An       *)
(* exhausted budget only disables a fault: it creates no deadlock.  Some   *)
(* models also swap HbNodeDown <- NoHbNodeDown: a restart that heartbeat   *)
(* never reports (the quick reboot of o2net-facts 5.2).                   *)
(***************************************************************************)
EXTENDS ReliableO2net

CONSTANTS
    MaxResets,     \* TCP resets the environment may inject
    MaxRestarts,   \* node restarts the environment may inject, in all
    RestartNodes   \* the nodes that may restart: a subset of {"S", "R"}

ASSUME RestartNodes \subseteq Node

\* The unsubstituted actions (a .cfg's `<-' applies to this module's names).
Base == INSTANCE ReliableO2net

\* Restarts so far: every restart moves one incarnation on by one.
Restarts == (inc[S] - 1) + (inc[R] - 1)

MCReset == resets < MaxResets /\ Base!Reset

MCRestart(n) == n \in RestartNodes /\ Restarts < MaxRestarts /\ Base!Restart(n)

\* A heartbeat too slow to see a quick restart before the next connection:
\* swapped in for HbNodeDown by the models of that case.
NoHbNodeDown(n) == FALSE

Symmetry == Permutations(Caller)
=============================================================================
