---------------------------- MODULE ToyParseError ----------------------------
(* Refers to an undefined operator: SANY rejects it (TLC exit code 150).    *)
VARIABLE x

Init == x = Undefined

Next == x' = x
=============================================================================
