-------------------------------- MODULE Toy --------------------------------
(* Counters that count up to Max and are then reset: the fixture of the    *)
(* harness's own tests.  Each Toy*.cfg checks it in another way, so that   *)
(* every kind of TLC verdict is seen on real output.                       *)
EXTENDS Naturals

CONSTANTS Procs, Max

VARIABLES count, last

vars == <<count, last>>

Init == /\ count = [p \in Procs |-> 0]
        /\ last = "none"

Step(p) == /\ count[p] < Max
           /\ count' = [count EXCEPT ![p] = @ + 1]
           /\ last' = p

Reset(p) == /\ count[p] = Max
            /\ count' = [count EXCEPT ![p] = 0]
            /\ last' = "reset"

Next == \E p \in Procs : Step(p) \/ Reset(p)

\* Without Reset the counters get stuck at Max: a deadlock.
NoReset == \E p \in Procs : Step(p)

Spec == Init /\ [][Next]_vars /\ WF_vars(Next)

Unfair == Init /\ [][Next]_vars

TypeOK == /\ count \in [Procs -> 0..Max]
          /\ last \in Procs \cup {"none", "reset"}

\* Violated once a counter reaches Max.
BelowMax == \A p \in Procs : count[p] < Max

\* The sum of all counters.
Sum == LET S[s \in SUBSET Procs] ==
             IF s = {} THEN 0
             ELSE LET p == CHOOSE q \in s : TRUE IN count[p] + S[s \ {p}]
       IN S[Procs]

\* Holds.
Bounded == Sum <= 2 * Max

\* Violated by the initial state.
Started == last /= "none"

\* An action property, violated by Reset.
Monotone == [][\A p \in Procs : count'[p] >= count[p]]_vars

\* Holds under Spec; violated under Unfair, by stuttering.
SomeReset == <>(last = "reset")

\* Violated under Spec: one counter may stay at Max while the other cycles.
EachResets == \A p \in Procs : []<>(count[p] = 0)

\* The sum of the counters refines ToyTotal with Limit = 2 * Max (for two
\* Procs), but not with a smaller Limit.
Wide == INSTANCE ToyTotal WITH n <- Sum, Limit <- 2 * Max
Tight == INSTANCE ToyTotal WITH n <- Sum, Limit <- Max

Refines == Wide!Spec

RefinesTight == Tight!Spec
=============================================================================
