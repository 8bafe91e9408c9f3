\* SPDX-License-Identifier: MIT
------------------------------ MODULE MCO2net ------------------------------
(***************************************************************************)
(* Bounded models of O2net (today's o2net) for TLC: the .cfg files swap   *)
(* Reset <- MCReset, so that at most MaxResets TCP resets happen.          *)
(***************************************************************************)
EXTENDS O2net, TLC

CONSTANT MaxResets   \* TCP resets the environment may inject

\* The unsubstituted actions (a .cfg's `<-' applies to this module's names).
Base == INSTANCE O2net

MCReset == resets < MaxResets /\ Base!Reset

Symmetry == Permutations(Caller)
=============================================================================
