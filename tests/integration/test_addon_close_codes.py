"""The addon's close codes say what the gateway should do with the editor's calls: 1000/1001 mean the editor
left on purpose (its calls end at once, nothing is kept for a resume), so every path on which the addon
closes and then reconnects with its resume token must use an application code instead (read out of the
addon's source, as the gateway's resume rule depends on it)."""
import re
from pathlib import Path

SOURCE = (Path(__file__).resolve().parents[2] / "godot/addons/godot_mcp/connection/gateway_connection.gd").read_text()


def function_body(name: str) -> str:
    match = re.search(rf"^func {name}\(.*?(?=^func |\Z)", SOURCE, re.M | re.S)
    assert match, name
    return match.group(0)


def test_the_coming_back_code_is_an_application_code():
    code = int(re.search(r"^const CLOSE_COMING_BACK := (\d+)", SOURCE, re.M).group(1))
    assert 4000 <= code <= 4999


def test_paths_that_reconnect_close_with_the_coming_back_code_and_leaving_ones_with_1000():
    for name in ("_fail", "connect_to_gateway"):
        assert "_close_peer(CLOSE_COMING_BACK" in function_body(name), name
    assert '_peer.close(CLOSE_COMING_BACK, "no heartbeat")' in SOURCE
    for name in ("disconnect_from_gateway", "shut_down"):
        assert "_close_peer(NORMAL_CLOSURE" in function_body(name), name
    assert "NORMAL_CLOSURE, \"no heartbeat\"" not in SOURCE and "NORMAL_CLOSURE, \"reconnecting\"" not in SOURCE
