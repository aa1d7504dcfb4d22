"""Sending payments: answers sorted, retries, lost answers judged, exactly once.

``answers`` sorts every answer by what the run must do next; ``keys`` makes a payment's key
and request; ``sender`` sends them, each invoice's one at a time; ``recovery`` judges a
payment whose answer was lost, and those an earlier run left in doubt; ``outcomes`` holds what
became of each payment."""
