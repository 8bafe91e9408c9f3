\* SPDX-License-Identifier: MIT
--------------------------- MODULE MCAckO2net ---------------------------
(***************************************************************************)
(* Bounded models of AckO2net for TLC, as MCReliableO2net: the .cfg files *)
(* swap Reset <- MCReset and Restart <- MCRestart, so that at most        *)
(* MaxResets TCP resets and MaxRestarts restarts (of the nodes in         *)
(* RestartNodes) happen; an exhausted budget only disables a fault.       *)
(***************************************************************************)
EXTENDS AckO2net

CONSTANTS
    MaxResets,     \* TCP resets the environment may inject
    MaxRestarts,   \* node restarts the environment may inject, in all
    RestartNodes   \* the nodes that may restart: a subset of {"S", "R"}

ASSUME RestartNodes \subseteq Node

Base == INSTANCE AckO2net

Restarts == (inc[S] - 1) + (inc[R] - 1)

MCReset == resets < MaxResets /\ Base!Reset

MCRestart(n) == n \in RestartNodes /\ Restarts < MaxRestarts /\ Base!Restart(n)

Symmetry == Permutations(Caller)
=============================================================================
