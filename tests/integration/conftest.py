import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway import GATEWAY_BIN  # noqa: E402


def pytest_sessionstart(session):
    if not Path(GATEWAY_BIN).exists():
        pytest.exit(f"gateway binary not found at {GATEWAY_BIN}: run scripts/test.sh (it builds first)", returncode=2)
