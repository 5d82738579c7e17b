import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway import GATEWAY_BIN, TEST_TOKEN  # noqa: E402

# Every gateway the tests start authenticates with this token, and none may touch the real user's
# config folder (where the default token file lives).
os.environ["GODOT_MCP_TOKEN"] = TEST_TOKEN
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="gateway-tests-config-")


def pytest_sessionstart(session):
    if not Path(GATEWAY_BIN).exists():
        pytest.exit(f"gateway binary not found at {GATEWAY_BIN}: run scripts/test.sh (it builds first)", returncode=2)
