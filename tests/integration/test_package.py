"""scripts/package.sh: the release tarball, the Claude Desktop bundle (.mcpb), the addon zip and the
MCP Registry entry, checked against the formats' own schemas (tests/schemas) and run the way a user's
machine would run them."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from gateway import free_port

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
SCHEMAS = REPO / "tests" / "schemas"

# The first run makes the release build (minutes on two cores); later runs reuse it.
pytestmark = pytest.mark.timeout(1800)


@pytest.fixture(scope="module")
def packaged():
    result = subprocess.run([str(REPO / "scripts" / "package.sh")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-4000:]
    version = (DIST / "server.json").exists() and json.loads((DIST / "server.json").read_text())["version"]
    name = f"godot-mcp-gateway-{version}-linux-x86_64"
    return {"version": version, "mcpb": DIST / f"{name}.mcpb", "tarball": DIST / f"{name}.tar.gz",
            "addon": DIST / f"godot-mcp-gateway-addon-{version}.zip", "log": result.stderr}


def unpack(archive, into):
    """With unzip/tar, as a person would: unix modes (the executable bits) kept."""
    into.mkdir()
    if archive.suffix == ".gz":
        subprocess.run(["tar", "-xzf", str(archive), "-C", str(into)], check=True)
    else:
        subprocess.run(["unzip", "-q", str(archive), "-d", str(into)], check=True)
    return into


def run_empty_env(*command, timeout=20, **kwargs):
    return subprocess.run(["env", "-i", *map(str, command)], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kwargs)


def test_the_manifest_follows_the_bundle_schema(packaged):
    with zipfile.ZipFile(packaged["mcpb"]) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = bundle.namelist()
        entry_mode = bundle.getinfo(manifest["server"]["entry_point"]).external_attr >> 16
    jsonschema.validate(manifest, json.loads((SCHEMAS / "mcpb-manifest-v0.3.schema.json").read_text()))
    assert manifest["manifest_version"] == "0.3" and manifest["version"] == packaged["version"]
    server = manifest["server"]
    assert server["type"] == "binary" and server["entry_point"] in names and entry_mode & 0o111
    assert server["mcp_config"]["command"] == "${__dirname}/" + server["entry_point"]
    assert server["mcp_config"]["args"] == ["--port", "${user_config.port}", "--token-file", "${user_config.token_file}"]
    assert set(manifest["user_config"]) == {"port", "token_file"}
    assert manifest["compatibility"]["platforms"] == ["linux"]
    assert {"server/libexec/godot-mcp-gateway", "server/libexec/libraries.tsv"} <= set(names)


def test_the_unpacked_bundle_runs_with_an_empty_environment(packaged, tmp_path):
    folder = unpack(packaged["mcpb"], tmp_path / "bundle")
    result = run_empty_env(folder / "server" / "godot-mcp-gateway", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == packaged["version"]
    libraries = subprocess.run(["ldd", str(folder / "server" / "libexec" / "godot-mcp-gateway")], capture_output=True,
                               text=True).stdout
    assert "libswift" not in libraries and "not found" not in libraries  # the Swift runtime is inside


async def test_the_bundle_serves_mcp_started_as_its_manifest_says(packaged, tmp_path):
    """Claude Desktop's way: ${__dirname}, ${HOME} and ${user_config.*} put into mcp_config, nothing else in
    the environment but HOME."""
    folder = unpack(packaged["mcpb"], tmp_path / "bundle")
    manifest = json.loads((folder / "manifest.json").read_text())
    home = tmp_path / "home"
    home.mkdir()
    values = {"__dirname": str(folder), "HOME": str(home)}

    def substitute(text: str) -> str:
        return re.sub(r"\$\{([^}]+)\}", lambda match: values[match.group(1)], text)

    for key, option in manifest["user_config"].items():
        values["user_config." + key] = substitute(str(option["default"]))
    values["user_config.port"] = str(free_port())  # a person's choice instead of the default 8765
    config = manifest["server"]["mcp_config"]
    params = StdioServerParameters(command=substitute(config["command"]), args=[substitute(arg) for arg in config["args"]],
                                   env={"HOME": str(home)})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            info = await session.initialize()
            assert info.server_info.version == packaged["version"]
            assert "get_scene_tree" in {tool.name for tool in (await session.list_tools()).tools}
    assert (home / ".config" / "godot-mcp-gateway" / "token").stat().st_mode & 0o777 == 0o600


def test_the_tarball_runs_and_configures_hosts_with_its_launcher(packaged, tmp_path):
    folder = unpack(packaged["tarball"], tmp_path / "release")
    launcher = folder / f"godot-mcp-gateway-{packaged['version']}-linux-x86_64" / "godot-mcp-gateway"
    assert run_empty_env(launcher, "--version").stdout.strip() == packaged["version"]
    home = tmp_path / "home"
    home.mkdir()
    result = run_empty_env(f"HOME={home}", launcher, "configure", "cursor")
    assert result.returncode == 0, result.stderr
    # The host starts the launcher, so it too gets the missing-library check.
    assert json.loads((home / ".cursor" / "mcp.json").read_text())["mcpServers"]["godot"]["command"] == str(launcher)


def test_the_registry_entry_names_the_bundle_with_its_hash(packaged):
    server = json.loads((DIST / "server.json").read_text())
    jsonschema.validate(server, json.loads((SCHEMAS / "server-2025-09-29.schema.json").read_text()))
    (package,) = server["packages"]
    assert package["registryType"] == "mcpb" and package["identifier"].endswith("/" + packaged["mcpb"].name)
    assert package["fileSha256"] == hashlib.sha256(packaged["mcpb"].read_bytes()).hexdigest()
    assert server["version"] == package["version"] == packaged["version"]


def test_the_addon_zip_is_what_the_asset_library_installs(packaged):
    with zipfile.ZipFile(packaged["addon"]) as addon:
        names = addon.namelist()
        top = {name.split("/")[0] for name in names}
        assert top == {f"godot-mcp-gateway-addon-{packaged['version']}"}  # the installer skips one top folder
        root = top.pop() + "/addons/godot_mcp/"
        plugin = addon.read(root + "plugin.cfg").decode()
    assert f'version="{packaged["version"]}"' in plugin
    assert root + "icon.svg" in names
    assert root + "LICENSE" in names  # the Asset Library lists only openly licensed addons
    repo_scripts = {str(path.relative_to(REPO / "godot/addons/godot_mcp")) for path in (REPO / "godot/addons/godot_mcp").rglob("*.gd")}
    assert {name[len(root):] for name in names if name.endswith(".gd")} == repo_scripts
    # The addon's own plugin.cfg carries the same version as the gateway (one number, checked here).
    assert re.search(r'^version="([^"]+)"', (REPO / "godot/addons/godot_mcp/plugin.cfg").read_text(), re.M).group(1) == packaged["version"]


def test_the_packaged_libraries_are_listed_with_their_packages(packaged):
    with zipfile.ZipFile(packaged["mcpb"]) as bundle:
        rows = [line.split("\t") for line in bundle.read("server/libexec/libraries.tsv").decode().splitlines()
                if not line.startswith("#")]
    packages = {row[0]: row[2] for row in rows}
    for soname in ("libwebsockets.so", "libev.so", "libnats.so", "libssl.so"):
        (name,) = [key for key in packages if key.startswith(soname)]
        assert packages[name] != "unknown", name
    assert packages["plugin"] == "libwebsockets-evlib-ev"


def fake_gateway(folder, soname):
    """An executable that needs `soname`, which exists nowhere: built against a stub, then the stub deleted."""
    compiler = shutil.which("cc") or shutil.which("clang")  # Swift's toolchain brings clang
    assert compiler, "a C compiler is needed to build the fake executable"
    folder.mkdir(parents=True)
    (folder / "stub.c").write_text("int stub_function(void) { return 0; }\n")
    (folder / "main.c").write_text("int stub_function(void);\nint main(void) { return stub_function(); }\n")
    subprocess.run([compiler, "-shared", "-fPIC", "-o", soname, f"-Wl,-soname,{soname}", "stub.c"], cwd=folder, check=True)
    subprocess.run([compiler, "-o", "fake", "main.c", f"-l:{soname}", "-L."], cwd=folder, check=True)
    (folder / soname).unlink()
    return folder / "fake"


@pytest.mark.parametrize("soname, says, package", [
    ("libwebsockets.so.99", "libwebsockets (the WebSocket server library)", "libwebsockets17"),
    ("libev.so.99", "libev (the event loop)", "libev4"),
    ("libnats.so.99", "libnats (the NATS client", "libnats3"),
    ("libssl.so.99", "OpenSSL", "libssl3"),
])
def test_a_missing_library_is_named_with_its_package(packaged, tmp_path, soname, says, package):
    bundle = unpack(packaged["mcpb"], tmp_path / "bundle")
    fake = fake_gateway(tmp_path / "fake", soname)
    loader = run_empty_env(fake)
    assert "error while loading shared libraries: " + soname in loader.stderr  # what a person would see without the launcher
    shutil.copy(fake, bundle / "server" / "libexec" / "godot-mcp-gateway")
    result = run_empty_env(bundle / "server" / "godot-mcp-gateway", "--version")
    assert result.returncode == 127
    assert result.stdout == ""  # stdout belongs to MCP
    assert f"missing: {soname} - {says}" in result.stderr
    assert re.search(r"sudo apt-get install .*\b" + re.escape(package), result.stderr), result.stderr
    assert "error while loading shared libraries" not in result.stderr


def test_a_missing_event_loop_plugin_is_named(packaged, tmp_path):
    bundle = unpack(packaged["mcpb"], tmp_path / "bundle")
    table = bundle / "server" / "libexec" / "libraries.tsv"
    table.write_text(re.sub(r"^plugin\t[^\t]*", "plugin\t/nonexistent/libwebsockets-evlib_ev.so", table.read_text(), flags=re.M))
    result = run_empty_env(bundle / "server" / "godot-mcp-gateway", "--version")
    assert result.returncode == 127 and result.stdout == ""
    assert "libev event-loop plugin of libwebsockets" in result.stderr
    assert "sudo apt-get install libwebsockets-evlib-ev" in result.stderr
