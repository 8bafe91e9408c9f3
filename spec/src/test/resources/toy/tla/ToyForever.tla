----------------------------- MODULE ToyForever -----------------------------
(* An unbounded counter: TLC never finishes, so the run must time out.      *)
EXTENDS Naturals

VARIABLE x

Init == x = 0

Next == x' = x + 1
=============================================================================
