------------------------------ MODULE ToyLong ------------------------------
(* A message set whose records grow long enough for TLC to print them over *)
(* several lines.                                                           *)
EXTENDS Naturals

VARIABLES msgs, sent

Init == /\ msgs = {}
        /\ sent = 0

Send(kind) == /\ sent < 3
              /\ sent' = sent + 1
              /\ msgs' = msgs \cup {[seq |-> sent, kind |-> kind,
                                     payload |-> <<"abcdefghij", "klmnopqrst">>]}

Next == \E kind \in {"data"} : Send(kind)

\* Violated by the third message.
FewSent == sent < 3
=============================================================================
