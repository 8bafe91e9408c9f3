------------------------------ MODULE ToyTotal ------------------------------
(* The abstract spec of Toy: a number that grows by one up to Limit, or    *)
(* drops.                                                                  *)
EXTENDS Naturals

CONSTANT Limit

VARIABLE n

Next == \/ n < Limit /\ n' = n + 1
        \/ n' < n

Spec == n = 0 /\ [][Next]_n
=============================================================================
