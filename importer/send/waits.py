"""How long the importer waits for HighLevel: kept apart so that the command line can show
the defaults in its help without loading the sender."""

from __future__ import annotations

from importer.errors import ConfigurationError

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

# The least ``run --lost-answer-wait`` may be against HighLevel: the longest a common gateway
# holds a request before it gives up on the application behind it (Cloudflare's 100 s; AWS's
# load balancers wait 60 s by default). Below it, a payment whose answer was lost could still
# be recorded after the importer took it for absent and sent it again. A sandbox, whose
# delays are its own (``--fault-delay``), may be given less, to rehearse in seconds.
LOST_ANSWER_FLOOR = 100.0


def check_lost_answer_wait(seconds: float, *, rehearsal: bool) -> None:
    """ConfigurationError for a wait too short to trust against HighLevel (LOST_ANSWER_FLOOR)."""
    if seconds < LOST_ANSWER_FLOOR and not rehearsal:
        raise ConfigurationError(
            f"--lost-answer-wait {seconds:g} is too short: a gateway in front of HighLevel can "
            f"hold a payment up to {LOST_ANSWER_FLOOR:g} s before passing it on, and a payment "
            "taken for lost before then could be recorded twice. Give at least "
            f"{LOST_ANSWER_FLOOR:g} (the default is {LOST_ANSWER_WAIT:g}). Nothing was sent."
        )
