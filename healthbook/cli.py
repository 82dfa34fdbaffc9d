"""The `healthbook` command: run, serve, migrate, seed and build the schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from subgraphs.shared.settings import COMPONENTS, ConfigError, Settings

SERVABLE = (*COMPONENTS, "router", "worker", "scheduler")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="healthbook", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = commands.add_parser("up", help="run the whole system in one process (embedded mode)")
    up.add_argument("--seed", action="store_true", help="load demo data into empty stores")

    serve = commands.add_parser("serve", help="run one component (distributed mode)")
    serve.add_argument("component", choices=SERVABLE)
    serve.add_argument("--port", type=int, help="override the component's port")
    serve.add_argument("--supergraph", type=Path, help="router only: the supergraph file")

    migrate = commands.add_parser("migrate", help="bring stores to the latest schema")
    migrate.add_argument("components", nargs="*", choices=[[], *COMPONENTS], default=[])

    commands.add_parser("seed", help="load demo data into the stores that are empty")

    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Administrator")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    schema = commands.add_parser(
        "schema",
        help="export subgraph SDL / compose the supergraph / check or release the client API",
    )
    schema.add_argument(
        "action", choices=("export", "compose", "check", "compatibility", "release")
    )

    config = commands.add_parser("config", help="print the configuration reference")
    config.add_argument("output", choices=("example", "table"), help=".env.example or Markdown")

    audit = commands.add_parser("audit", help="audit trail: verify the hash chain, purge")
    audit.add_argument("action", choices=("verify", "purge"))
    audit.add_argument(
        "--older-than-days", type=int, help="purge: remove entries recorded before N days ago"
    )

    router = commands.add_parser("router", help="router tools")
    router.add_argument("tool", choices=("plan",))
    router.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as error:
        print(f"healthbook: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from healthbook import schema_commands

        return schema_commands.run(args.action)
    if args.command == "config":
        from healthbook import configuration

        return configuration.run(args.output)
    if args.command == "router":
        from router.main import plan_command

        return plan_command(list(args.rest))
    settings = Settings.from_env()
    if args.command == "up":
        from healthbook.embedded import run_embedded

        return run_embedded(settings, seed=args.seed)
    if args.command == "serve":
        from healthbook.serve import serve

        return serve(settings, args.component, port=args.port, supergraph=args.supergraph)
    if args.command == "migrate":
        from healthbook.stores import migrate

        migrate(settings, tuple(args.components) or None)
        return 0
    if args.command == "seed":
        from healthbook.stores import migrate, seed

        migrate(settings, None)
        asyncio.run(seed(settings))
        return 0
    if args.command == "audit":
        from healthbook import audit_commands

        return audit_commands.run(settings, args.action, older_than_days=args.older_than_days)
    if args.command == "create-admin":
        from healthbook.admin import create_admin, read_password

        password = read_password(from_stdin=args.password_stdin)
        return create_admin(settings, email=args.email, name=args.name, password=password)
    raise AssertionError(args.command)
