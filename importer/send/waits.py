"""How long the importer waits for HighLevel: kept apart so that the command line can show
the defaults in its help without loading the sender."""

from __future__ import annotations

# Seconds to wait for an answer before checking the invoice instead (``run --timeout``).
ANSWER_TIMEOUT = 30.0

# Seconds after a request leaves during which its payment may still be recorded, though its
# answer was lost. A request whose answer never came may be held by a gateway or a load
# balancer in front of the API (they wait up to 60 s, as AWS's load balancers do by default,
# or 100 s, as Cloudflare does) while the application behind takes its time and then records
# it. Before this has passed, a payment missing from the invoice is not proof it will stay
# missing, so it is not sent again; after it, the request is taken to be dead. Kept well
# above the client's default timeout (30 s); ``run --lost-answer-wait`` changes it.
LOST_ANSWER_WAIT = 120.0
