"""`python -m healthbook` is the `healthbook` command."""

from healthbook.cli import main

raise SystemExit(main())
