"""Every audit entry the demo writes names who acted (issue 19: no forged "system" actors).

The demo seeder works through the services as the demo people, so its log is what a real
one looks like. An entry either names a real account (id, username and organisation as
stored) or names no one, which is the scheduler's deadline jobs and the operator seeding
organisations; a pseudo-user 0 reading the directory or people on someone's behalf is
neither, and fails here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.audit.models import AuditEntry
from ketenzicht.audit.service import flush_pending
from ketenzicht.auth.models import User
from ketenzicht.config import Settings
from ketenzicht.demo import seed


def test_every_demo_audit_entry_names_a_real_user_or_the_scheduler(
        db: Session, settings: Settings) -> None:
    # One seeding for all the checks: the demo takes a while to seed.
    db.info["settings"] = settings
    seed.seed(db)
    flush_pending(db)
    seeded = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    accounts = {u.id: (u.username, u.organisation_id) for u in db.scalars(select(User))}
    anonymous = (None, None, None, None)
    wrong = [(e.id, e.actor_user_id, e.actor_username, e.via, e.action, e.resource_type)
             for e in seeded
             if (e.actor_user_id, e.actor_username, e.actor_org_id, e.via) != anonymous
             and accounts.get(e.actor_user_id or 0) != (e.actor_username, e.actor_org_id)]
    assert wrong == []
    assert all(e.actor_user_id != 0 for e in seeded)

    # Assigning a task to a person and naming a prosecutor on a victim's statement read
    # those accounts: the log names the coordinator and the investigator who did it; so
    # does drafting and issuing an undercover operation, which names its prosecutor and
    # operators (the team leader drafts, the prosecutor issues).
    reads = [e for e in seeded if e.resource_type == "user" and e.action in ("read", "list")]
    assert {(e.actor_username, e.action) for e in reads} == {
        ("politie-demo", "read"), ("politie-tl-demo", "read"), ("om-demo", "read")}

    # A referral notifies the receiving organisation under the sender's name; only the
    # deadline jobs (reminders, escalations) notify under no one.
    notified = [e for e in seeded if e.action == "notify"]
    assert "case.referral_sent" in {str(e.detail["kind"]) for e in notified if e.actor_user_id}
    by_job = {str(e.detail["kind"]) for e in notified if e.actor_user_id is None}
    assert by_job
    assert by_job <= {"case.task_overdue", "case.task_escalated", "case.referral_overdue",
                      "case.referral_escalated", "signals.escalated", "online.watch"}
