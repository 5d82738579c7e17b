"""On Godot 4.2, which cannot see symbolic links from GDScript, the addon's path guard (util/path_guard.gd)
asks the system: `find <folder> -type l` for the links under a folder it lists, and `realpath <path>` for
where a path really leads (for a file not written yet, its nearest existing folder). This test runs those
same commands on a project laid out with a link out of it, a link inside it and a link loop, and checks
they answer what the guard relies on. (Godot 4.3+ asks DirAccess.is_link/read_link instead, which no
machine here can run.)"""
import os
import subprocess
from pathlib import Path


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, capture_output=True, text=True)


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "levels").mkdir(parents=True)
    (project / "levels" / "one.tscn").write_text("[gd_scene format=3]\n")
    outside = tmp_path / "home"
    (outside / ".ssh").mkdir(parents=True)
    (outside / ".ssh" / "config").write_text("secret\n")
    os.symlink(outside, project / "home_link")
    os.symlink(project / "levels", project / "levels_link")
    os.symlink(project / "loop", project / "loop")  # a link to itself: following it never ends
    return project


def test_find_lists_every_link_without_following_any(tmp_path):
    project = make_project(tmp_path)
    result = run("find", str(project) + "/", "-type", "l")
    # The guard normalises each line (simplify_path) before looking it up.
    listed = {os.path.normpath(line) for line in result.stdout.splitlines()}
    assert listed == {str(project / "home_link"), str(project / "levels_link"), str(project / "loop")}
    assert not any(".ssh" in line for line in result.stdout.splitlines())


def test_realpath_tells_where_a_path_leads(tmp_path):
    project = make_project(tmp_path)
    real_root = run("realpath", str(project)).stdout.strip()
    inside = run("realpath", str(project / "levels_link" / "one.tscn")).stdout.strip()
    outside = run("realpath", str(project / "home_link" / ".ssh" / "config")).stdout.strip()
    assert inside.startswith(real_root + "/")
    assert not outside.startswith(real_root + "/")
    # A loop or a file that does not exist yet has no real path: the guard then asks for the nearest
    # existing folder of a new file, and a loop fails to open anyway.
    assert run("realpath", str(project / "loop")).returncode != 0
    nearest = run("realpath", str(project / "home_link")).stdout.strip()
    assert not nearest.startswith(real_root + "/")
