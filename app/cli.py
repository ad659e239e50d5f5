"""Command-line tools: `flask seed`, `flask createadmin`, and `flask jobs` (the worker, the
scheduler, their status)."""

from __future__ import annotations

import getpass

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.passwords import password_problem
from app.auth.validators import normalize_username, username_problem
from app.core import jobs, scheduler
from app.core.demo import demo_loaders
from app.core.time import utcnow
from app.extensions import db
from app.models import DealerProfile, User
from app.schedule import SCHEDULE

DEMO_USERS = [
    # username, email, role, display name, city
    ("admin", "admin@garage.example", "admin", "Администратор Garage", "Алматы"),
    ("moderator", "moderator@garage.example", "moderator", "Марат (модератор)", "Астана"),
    ("autohouse", "dealer@garage.example", "dealer", "AutoHouse Almaty", "Алматы"),
    ("aigerim", "aigerim@garage.example", "user", "Айгерим", "Алматы"),
    ("daniyar", "daniyar@garage.example", "user", "Данияр", "Шымкент"),
]


def seed_users(password: str) -> list[User]:
    """Create the demo accounts that do not exist yet; return the new ones."""
    created = []
    for username, email, role, display_name, city in DEMO_USERS:
        if accounts.find_by_login(username) is not None:
            continue
        user = accounts.create_user(username, email, password, role=role)
        user.display_name, user.city, user.email_confirmed_at = display_name, city, utcnow()
        if role == "dealer":
            user.dealer_profile = DealerProfile(
                company_name="AutoHouse Almaty",
                address="Алматы, пр. аль-Фараби, 77",
                phone="+7 727 000 00 00",
                website="https://autohouse.example",
                hours="Пн–Сб 9:00–19:00",
                verified_at=utcnow(),
            )
        created.append(user)
    db.session.flush()
    return created


@click.command("seed")
@with_appcontext
def seed_command():
    """Load demo users and content. Running it again changes nothing."""
    password = current_app.config["SEED_DEMO_PASSWORD"]
    created = seed_users(password)
    db.session.commit()
    for user in created:
        click.echo(f"created {user.role:<9} {user.username:<10} password: {password}")
    for loader in demo_loaders(current_app):
        summary = loader()
        db.session.commit()
        if summary:
            click.echo(summary)
    if not created:
        click.echo("demo users already present; nothing changed")


@click.command("createadmin")
@click.option("--username", prompt=True)
@click.option("--email", prompt=True)
@click.option("--password", default=None, help="Prompted for when not given.")
@with_appcontext
def createadmin_command(username: str, email: str, password: str | None):
    """Create an administrator account, or promote an existing user to admin."""
    username = normalize_username(username)
    existing = db.session.scalar(select(User).where(User.username_key == username.casefold()))
    if existing is not None:
        existing.role = "admin"
        db.session.commit()
        click.echo(f"{existing.username} is now an administrator")
        return
    problem = username_problem(username, staff=True)
    if problem:
        raise click.BadParameter(problem, param_hint="username")
    if lookalike := accounts.lookalike_of(username):
        raise click.BadParameter(f"looks too much like the existing {lookalike}", param_hint="username")
    if accounts.email_taken(email):
        raise click.BadParameter("this email already has an account", param_hint="email")
    password = password or getpass.getpass("Password: ")
    if problem := password_problem(password, username, email):
        raise click.BadParameter(problem, param_hint="password")
    user = accounts.create_user(username, email, password, role="admin")
    user.email_confirmed_at = utcnow()
    db.session.commit()
    click.echo(f"administrator {user.username} created")


@click.group("jobs")
def jobs_group():
    """Background jobs: the worker, the scheduler of periodic tasks (docs/architecture.md)."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst: bool):
    """Run queued jobs (JOBS_REDIS_URL) until stopped; retries come back when due."""
    jobs.work(current_app._get_current_object(), burst=burst)


@jobs_group.command("scheduler")
@click.option("--once", is_flag=True, help="One tick: claim and enqueue what is due, then stop.")
@with_appcontext
def scheduler_command(once: bool):
    """Enqueue each periodic task once per period (several schedulers may run)."""
    loop = scheduler.Scheduler(current_app._get_current_object(), SCHEDULE)
    loop.stop_on_signals()
    click.echo(f"scheduler started: {len(SCHEDULE)} tasks, a tick every {current_app.config['SCHEDULER_TICK']} s")
    loop.run(once=once)


@jobs_group.command("status")
@with_appcontext
def status_command():
    """The last run of each periodic task, and the queue's length."""
    runs = {run.task: run for run in scheduler.latest_runs()}
    for task in SCHEDULE:
        run = runs.get(task.name)
        if run is None:
            click.echo(f"{task.name:<24} never run")
            continue
        finished = run.finished_at.isoformat(" ", "seconds") if run.finished_at else "not finished"
        click.echo(f"{task.name:<24} slot {run.slot.isoformat(' ', 'minutes')}  {finished}  {run.outcome}")
    queue = jobs.job_queue(current_app._get_current_object())
    click.echo(f"queue {queue.name}: {queue.count} waiting" if queue is not None else "no queue: jobs run in-process")


@jobs_group.command("run")
@click.argument("name")
@with_appcontext
def run_command(name: str):
    """Run one periodic task now, in this process (outside its schedule)."""
    task = next((task for task in SCHEDULE if task.name == name), None)
    if task is None:
        raise click.BadParameter(f"not one of: {', '.join(t.name for t in SCHEDULE)}", param_hint="name")
    outcome = task.run()
    db.session.commit()
    click.echo(f"{name}: {outcome}")


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(createadmin_command)
    app.cli.add_command(jobs_group)
