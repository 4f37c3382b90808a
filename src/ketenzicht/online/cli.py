"""``ketenzicht online``: crawl, extract, link, import and export online ads.

Each command is imported when it runs (``core.lazycli``): ``online extract`` loads the
extraction pipeline only, ``online link`` the linker (and the database only with ``--db``),
and the crawl commands Scrapy and the ORM.
"""

from __future__ import annotations

import typer

from ketenzicht.core.lazycli import lazy_group
from ketenzicht.core.manifest import CliCommand

COLLECTION = "ketenzicht.online.collection.cli"
RECRUITMENT = "ketenzicht.online.analysis.recruitment.cli"
RECRUITMENT_STORE = "ketenzicht.online.workspace.recruitment.cli"

RECRUITMENT_COMMANDS = (
    CliCommand("score", f"{RECRUITMENT}:score",
               "Score posts (JSON lines) for recruitment into criminal exploitation, one "
               "JSON line each."),
    CliCommand("evaluate", f"{RECRUITMENT}:evaluate",
               "Measure the detector on a fresh synthetic corpus (an upper bound)."),
    CliCommand("train", f"{RECRUITMENT}:train",
               "Train the detector on the synthetic corpus now and cache it."),
    CliCommand("import", f"{RECRUITMENT_STORE}:import_posts",
               "Store investigators' exports of public posts (JSON lines) for one platform; "
               "replies are dropped."),
    CliCommand("purge", f"{RECRUITMENT_STORE}:purge",
               "Delete recruitment posts past the retention period that no signal used."),
)

COMMANDS = (
    CliCommand("extract", "ketenzicht.online.analysis.cli:extract",
               "Read ads as JSON lines and write one JSON line of findings per ad."),
    CliCommand("link", "ketenzicht.online.workspace.networks.cli:link",
               "Link ads (JSON lines, as for ``extract``) into advertiser networks, one "
               "JSON line each."),
    CliCommand("crawl", f"{COLLECTION}:crawl",
               "Crawl a site once (resuming an interrupted crawl) and print the run's "
               "statistics."),
    CliCommand("runs", f"{COLLECTION}:runs",
               "Show the latest crawl runs with their statistics, one JSON line each."),
    CliCommand("due", f"{COLLECTION}:due",
               "List the profiles whose re-crawl interval has passed (for a scheduler), one "
               "per line."),
    CliCommand("crawl-due", f"{COLLECTION}:crawl_due",
               "Crawl, one after the other, every profile whose re-crawl interval has passed."),
    CliCommand("show-capture", f"{COLLECTION}:show_capture",
               "Write a captured payload to stdout exactly as captured; exit 1 if its hash "
               "fails."),
    CliCommand("import", f"{COLLECTION}:import_ads",
               "Load ads collected by other tools (the ``export`` shape; ``site`` and "
               "``url`` needed)."),
    CliCommand("export", f"{COLLECTION}:export", "Write one JSON object per ad version."),
    CliCommand("demo-site", f"{COLLECTION}:demo_site",
               "Serve the synthetic demo ad site on 127.0.0.1 until interrupted."),
    CliCommand("recruitment", "ketenzicht.online.cli:recruitment",
               "Posts recruiting young people for criminal exploitation: score, evaluate, "
               "import."),
)

app = typer.Typer(
    help="Online ads: extract phones, contacts, places, prices and trafficking indicators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=lazy_group(COMMANDS),
)


@app.callback()
def online() -> None:
    """Online ads (escort and sex-work advertisements)."""


recruitment = typer.Typer(
    help="Posts recruiting young people for criminal exploitation: score, evaluate, import.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=lazy_group(RECRUITMENT_COMMANDS),
)


@recruitment.callback()
def recruitment_group() -> None:
    """Recruitment of young people for criminal exploitation (issue 21)."""
