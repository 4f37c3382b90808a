"""Import a 100,000-message chat export into one conversation, then verify its hash chain.

Migrates a scratch SQLite database (or uses ``--url``, e.g. the test PostgreSQL), makes a
police team, an OM prosecutor and an issued order with one persona through the services (as
the platform does), opens a conversation and imports a synthetic JSON chat export of
``--messages`` messages through ``conversations.import_export`` (guard, chain, audit), then
walks the chain with ``chain.verify``. Prints messages/s for each step, and the process's
peak resident memory before and after each (``ru_maxrss``), with the 1-minute load average.

    .venv/bin/python benchmarks/operations_chain.py --messages 100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.auth.schemas import Actor, OrganisationCreate, UserCreate
from ketenzicht.core import clock
from ketenzicht.db.engine import make_engine
from ketenzicht.db.migrate import upgrade
from ketenzicht.db.session import make_session_factory, unit_of_work
from ketenzicht.operations import chain, conversations, personas, service
from ketenzicht.operations.models import Conversation
from ketenzicht.operations.schemas import (
    ConversationCreate,
    DraftUpdate,
    OperationCreate,
    OrderFields,
    PersonaCreate,
)

PASSWORD = "benchmark-password-1"
# Counterpart lines, and decoy lines that the guard passes (no act or price proposed first).
INBOUND = ["hoi, ben je er?", "wat kost een uur, 150 euro?", "waar woon je?", "ok", "morgen?"]
OUTBOUND = ["hoi!", "waar denk je aan?", "in het centrum", "ja", "dat kan"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup(factory: sessionmaker[Session]) -> tuple[Actor, int, int]:
    now = clock.now()
    with unit_of_work(factory) as session:
        police = auth_service.create_organisation(session, actor=None, data=OrganisationCreate(
            code="politie-bench", name="Politie (benchmark)", org_type=OrgType.POLITIE))
        om = auth_service.create_organisation(session, actor=None, data=OrganisationCreate(
            code="om-bench", name="OM (benchmark)", org_type=OrgType.OM))
        made = {}
        for name, org, role in (("lead", police, Role.COORDINATOR),
                                ("operator", police, Role.MEDEWERKER),
                                ("prosecutor", om, Role.MEDEWERKER)):
            user = auth_service.create_user(session, actor=None, data=UserCreate(
                username=f"bench-{name}", display_name=name, organisation_id=org.id,
                roles=[role], password=PASSWORD))
            made[name] = auth_service.actor_for(user)
        order = {"power": "126i", "crime": "Mensenhandel (benchmark)", "suspect": "Onbekend",
                 "grounds": "Benchmark",
                 "service_nature": "Afspraken als klant",
                 "services": ["sexual_services", "meeting"],
                 "starts_at": (now - timedelta(days=3)).isoformat(),
                 "ends_at": (now + timedelta(days=30)).isoformat(),
                 "platforms": ["Benchplatform"], "operator_ids": [made["operator"].user_id]}
        op = service.create(session, actor=made["lead"], data=OperationCreate(
            title="Benchmark", prosecutor_user_id=made["prosecutor"].user_id,
            order=OrderFields.model_validate(order)))
        persona = personas.create(session, actor=made["lead"], operation_id=op.id,
                                  data=PersonaCreate(name="Lisa (bench)", stated_age=24))
        order["persona_ids"] = [persona.id]
        service.update_draft(session, actor=made["lead"], operation_id=op.id, data=DraftUpdate(
            version=op.version, order=OrderFields.model_validate(order)))
        service.issue(session, actor=made["prosecutor"], operation_id=op.id)
        conv = conversations.open_conversation(
            session, actor=made["operator"], operation_id=op.id, data=ConversationCreate(
                persona_id=persona.id, platform="Benchplatform", counterpart_handle="klant_b"))
        return made["operator"], op.id, conv.id


def _export(n: int) -> str:
    start = clock.now() - timedelta(days=2)
    return json.dumps({"messages": [
        {"at": (start + timedelta(seconds=i)).isoformat(),
         "direction": "in" if i % 2 == 0 else "out",
         "text": f"{(INBOUND if i % 2 == 0 else OUTBOUND)[i % 5]} ({i})"} for i in range(n)]})


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--url", default="", help="database URL (default: scratch SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        actor, op_id, conv_id = _setup(factory)
        content = _export(args.messages)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {engine.dialect.name}")
        print(f"export: {args.messages} messages, {len(content) / 1e6:.1f} MB of JSON; "
              f"load average {os.getloadavg()[0]:.1f}; peak RSS {_rss_mb():.0f} MB")
        t0 = time.perf_counter()
        with unit_of_work(factory) as session:
            count = conversations.import_export(session, actor=actor, operation_id=op_id,
                                                conversation_id=conv_id, fmt="json",
                                                content=content).count
        took = time.perf_counter() - t0
        print(f"import: {count} messages in {took:.1f} s = {count / took:,.0f} messages/s; "
              f"peak RSS {_rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f}")
        del content
        t0 = time.perf_counter()
        with unit_of_work(factory) as session:
            conv = session.get(Conversation, conv_id)
            assert conv is not None
            result = chain.verify(session, conv)
        took = time.perf_counter() - t0
        assert result.ok, result
        print(f"verify: {result.checked} messages in {took:.1f} s = "
              f"{result.checked / took:,.0f} messages/s; peak RSS {_rss_mb():.0f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
