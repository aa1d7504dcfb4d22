"""``importer templates`` and ``importer template new``: the built-in templates, and a blank
workbook to fill in for one of them."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from importer.cli.options import api_options, sandbox_options

if TYPE_CHECKING:
    from importer.api.models import Invoice


@click.command(epilog="\b\nExit codes:\n  0  listed\n  2  a template could not be read")
def templates() -> None:
    """List the built-in and saved templates, to use with --template NAME.

    Without --template, a file is read with the template that fits it, and the run says which.

    \b
    Example:
      importer templates
      importer run statement.csv --template bank-transfer
    """
    from importer.check.saved import saved_templates, saved_templates_dir
    from importer.check.template_files import builtin_templates
    from importer.check.templates import TEMPLATES_DIR
    from importer.errors import TemplateError

    found = builtin_templates()
    if not found:
        raise TemplateError(f"No built-in templates in {TEMPLATES_DIR}: reinstall the importer.")
    saved = saved_templates(saved_templates_dir())
    width = max(len(template.name) for template in [*found, *saved])
    for template in found:
        click.echo(f"{template.name:<{width}}  {template.description}")
    if saved:
        click.echo(f"Saved, in {saved_templates_dir()} (tried first):")
        for template in saved:
            click.echo(f"{template.name:<{width}}  {template.description}")
    click.echo(
        f"To make your own, copy one of the files in {TEMPLATES_DIR} and run with "
        "--template your-copy.toml, or keep it with importer template save NAME your-copy.toml."
    )


@click.group(epilog="\b\nExit codes:\n  0  done\n  2  could not be done")
def template() -> None:
    """Make a blank workbook for a template, or save your own template.

    \b
    Example:
      importer template new cheque-deposit -o deposit-2026-11.xlsx
      importer template save my-bank my-bank.toml
    """


@template.command(
    "save", epilog="\b\nExit codes:\n  0  saved\n  2  the template is wrong or not saved"
)
@click.argument("name")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def template_save(name: str, file: Path) -> None:
    """Keep the template in FILE (TOML) as NAME, for every run from now on.

    A saved template is tried before the built-in ones when a file is read without
    --template, and --template NAME finds it.

    \b
    Example:
      importer template save my-bank my-bank.toml
    """
    from importer.check.saved import keep_template, saved_templates_dir
    from importer.errors import TemplateError

    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"{file}: is not saved as UTF-8 text.") from None
    except OSError as error:
        raise TemplateError(f"{file}: cannot be read ({error.strerror}).") from None
    click.echo(f"Saved the template {name} in {keep_template(name, text, saved_templates_dir())}.")


@template.command(
    "new", epilog="\b\nExit codes:\n  0  written\n  2  unknown template or file not written"
)
@click.argument("name")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="The workbook to write (.xlsx); an existing file is not replaced.",
)
@click.option(
    "--open-invoices",
    is_flag=True,
    help="Pre-fill a row for each invoice still open (sent or partially paid).",
)
@click.option(
    "--due-from", type=click.DateTime(["%Y-%m-%d"]), help="Only invoices due on or after."
)
@click.option(
    "--due-until", type=click.DateTime(["%Y-%m-%d"]), help="Only invoices due on or before."
)
@click.option("--client", "client_name", help="Only invoices whose client's name holds this.")
@api_options
@sandbox_options("List the bundled sandbox's invoices.")
def template_new(
    name: str,
    output: Path,
    open_invoices: bool,
    due_from: datetime | None,
    due_until: datetime | None,
    client_name: str | None,
    api_url: str | None,
    location_id: str | None,
    alt_type: str | None,
    sandbox: bool,
    sandbox_seed: Path | None,
) -> None:
    """Write a workbook for template NAME (a name or a TOML file) to fill in.

    It has the template's headers, a drop-down on the method column, date and amount formats,
    and an Instructions sheet. With --open-invoices it lists the location's open invoices,
    each with its client, dates and balance, so only the payments need typing.

    \b
    Example:
      importer template new card-terminal -o terminal-2026-11.xlsx
      importer template new default --open-invoices --due-until 2026-11-30 -o november.xlsx
    """
    from importer.check.saved import saved_templates_dir, template_named
    from importer.check.template_files import load_template
    from importer.cli.render import connected
    from importer.output.workbook import check_blank_workbook_path, write_blank_workbook
    from importer.preflight import open_invoices as list_open_invoices

    chosen = template_named(name, saved_templates_dir()) or load_template(name)
    check_blank_workbook_path(output)
    invoices: list[Invoice] = []
    if open_invoices:
        with connected(
            sandbox=sandbox,
            sandbox_seed=sandbox_seed,
            api_url=api_url,
            location_id=location_id,
            alt_type=alt_type,
        ) as connection:

            async def listed() -> list[Invoice]:
                async with connection.client() as client:
                    return await list_open_invoices(
                        client,
                        due_from=due_from.date() if due_from else None,
                        due_until=due_until.date() if due_until else None,
                        client_name=client_name,
                    )

            invoices = asyncio.run(listed())
        click.echo(f"{len(invoices)} open invoices listed.")
    write_blank_workbook(chosen, output, invoices=invoices)
    click.echo(f"Wrote {output} for the {chosen.name} template. Fill in the Payments sheet, then:")
    click.echo(f"  importer validate {output} --template {name}")
