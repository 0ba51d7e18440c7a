"""chanfuzz orchestration package: one module per job (docs/CRASHES.md,
docs/CAMPAIGN.md). Every module keeps its unit tests beside it in
<module>_test.py; tests/sh/python.sh runs them as part of `make test`."""
