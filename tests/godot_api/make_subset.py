"""Cuts the API data the addon needs out of full extension_api-shaped files (run when the addon starts
using a class it did not before):

    python tests/godot_api/make_subset.py /work/shared/godot-api/godot-4.2.0-api.json.gz /work/shared/godot-api/godot-4.4dev-api.json.gz

Keeps every class named in the addon's scripts and the classes their methods and properties return
(with ancestors), all builtin types, singletons, utility functions and global enums."""
import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from godot_api import GodotAPI, subset  # noqa: E402

HERE = Path(__file__).resolve().parent
ADDON = HERE.parents[1] / "godot" / "addons" / "godot_mcp"


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]]
    full = GodotAPI(paths)
    words = set()
    for script in list(ADDON.rglob("*.gd")) + list((HERE / "fixtures").glob("*.gd")):
        words.update(re.findall(r"[A-Z][A-Za-z0-9_]+", script.read_text()))
    keep = {word for word in words if full.is_class(word)} | set(full.singletons.values())
    for name in list(keep):
        for info in full.ancestors(name):
            for methods in info.methods.values():
                keep.update(m.returns for m in methods if m.returns and full.is_class(m.returns))
            keep.update(t for t in info.properties.values() if full.is_class(t))
    data = subset(paths, keep)
    target = HERE / "api-subset.json.gz"
    with gzip.open(target, "wt") as out:
        json.dump(data, out, separators=(",", ":"))
    print(f"{len(keep)} classes kept; {target.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
