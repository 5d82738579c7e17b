"""GET /metrics: the gateway's counters in the Prometheus text format, behind the access token."""
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from fake_editor import TEST_TOKEN, FakeEditor
from gateway import mcp_gateway


def get(port: int, token: str | None) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def test_metrics_are_prometheus_text_and_move_with_calls():
    async with mcp_gateway() as gateway:
        status, _ = get(gateway.port, None)
        assert status == 401
        status, _ = get(gateway.port, "wrong-token-0123456789")
        assert status == 401
        editor = await FakeEditor(gateway.port).start()
        await editor.identified()
        for _ in range(5):
            await gateway.call_json("get_scene_tree")
        await gateway.call("get_scene_tree", {"client": "nobody", "wait_seconds": 0})
        status, text = get(gateway.port, TEST_TOKEN)
        assert status == 200
        samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        assert samples[("godot_mcp_clients", (("type", "godot"),))] == 1
        assert samples[("godot_mcp_commands_total", (("outcome", "succeeded"),))] == 5
        assert samples[("godot_mcp_command_errors_total", (("kind", "unknown_target"),))] == 1
        assert samples[("godot_mcp_command_duration_seconds_count", ())] == 5
        assert samples[("godot_mcp_command_duration_seconds_bucket", (("le", "+Inf"),))] == 5
        assert samples[("godot_mcp_messages_total", (("direction", "in"),))] >= 6
        await editor.close()
