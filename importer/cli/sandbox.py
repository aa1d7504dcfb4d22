"""``importer sandbox``: a local copy of the HighLevel API to rehearse against."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(epilog="\b\nExit codes:\n  0  stopped with Ctrl-C\n  2  could not start")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, help="Port to listen on.")
@click.option(
    "--seed",
    type=click.Path(path_type=Path),
    help="Invoices to serve (default: those of samples/sandbox-invoices.json).",
)
@click.option("--token", help="The token the sandbox accepts (default: sandbox-token).")
@click.option(
    "--scopes",
    metavar="SCOPE,...",
    help="The scopes the token has, to rehearse a token without one, such as "
    "invoices.readonly,invoices.write (default: all).",
)
@click.option(
    "--rate-limit",
    default="100/10s",
    show_default=True,
    help="Requests per window per location, such as 25/10s, or off.",
)
@click.option(
    "--faults",
    metavar="NAME=P,...",
    help="Make requests fail at random: error (500), throttle (429), timeout (recorded, "
    "answered late), drop (recorded, connection closed), late (held, then recorded and "
    "answered, after the importer may have given up), e.g. error=0.1,timeout=0.05,late=0.05.",
)
@click.option("--fault-seed", type=int, help="Seed for the faults, to repeat a rehearsal.")
@click.option(
    "--fault-delay",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds a timeout fault holds its answer back, and a late fault its request.",
)
@click.option(
    "--latency",
    metavar="MS",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Milliseconds added to every request, like a real network.",
)
@click.option(
    "--daily-limit",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="Requests a day, to rehearse a run that meets the daily limit.",
)
def sandbox(
    host: str,
    port: int,
    seed: Path | None,
    token: str | None,
    scopes: str | None,
    rate_limit: str,
    faults: str | None,
    fault_seed: int | None,
    fault_delay: float,
    latency: float,
    daily_limit: int,
) -> None:
    """Serve a local copy of the HighLevel invoices API to rehearse imports against.

    \b
    Example:
      importer sandbox --port 8787
      HIGHLEVEL_TOKEN=sandbox-token HIGHLEVEL_LOCATION_ID=hYb3kQ9sLmN2pR4tVw6x \\
        importer run samples/payments.csv --api-url http://127.0.0.1:8787 --yes
      importer sandbox --faults error=0.1,throttle=0.05,timeout=0.05,drop=0.05 --fault-seed 7
    """
    from importer.connection import SAMPLE_SEED, seed_problem
    from importer.errors import ConfigurationError
    from importer.sandbox import (
        DEFAULT_TOKEN,
        RandomFaults,
        Sandbox,
        exposure_warnings,
        parse_fault_odds,
        parse_rate_limit,
        parse_scopes,
        serve,
    )

    seed = seed or SAMPLE_SEED
    if not seed.is_file():
        raise ConfigurationError(f"{seed}: no such seed file.")
    try:
        parse_rate_limit(rate_limit)
    except ValueError as error:
        raise ConfigurationError(f"--rate-limit: {error}") from None
    try:
        granted = parse_scopes(scopes) if scopes is not None else None
    except ValueError as error:
        raise ConfigurationError(f"--scopes: {error}") from None
    plan: RandomFaults | None = None
    if faults or latency:
        try:
            odds = parse_fault_odds(faults or "")
        except ValueError as error:
            raise ConfigurationError(f"--faults: {error}") from None
        plan = RandomFaults(odds, seed=fault_seed, delay=fault_delay, latency=latency / 1000)
    try:
        location = Sandbox(seed, token=token or DEFAULT_TOKEN, rate_limit=rate_limit).location_id
    except (ValueError, OSError) as error:
        raise ConfigurationError(seed_problem(seed, error)) from None

    for warning in exposure_warnings(host, token or DEFAULT_TOKEN):
        click.echo(f"Warning: {warning}", err=True)

    def announce(url: str) -> None:
        click.echo(f"Sandbox API on {url} for location {location}.")
        if token is None:
            click.echo(f"It accepts the token {DEFAULT_TOKEN}. Stop it with Ctrl-C.")
        else:
            click.echo("It accepts the token given with --token. Stop it with Ctrl-C.")

    try:
        serve(
            seed,
            host=host,
            port=port,
            token=token or DEFAULT_TOKEN,
            rate_limit=rate_limit,
            daily_limit=daily_limit,
            faults=plan,
            scopes=granted,
            on_listening=announce,
        )
    except KeyboardInterrupt:
        pass
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise ConfigurationError(
            f"Cannot listen on {host}:{port} ({reason}): choose another --port or --host."
        ) from None
