"""mkdocs serve: what a rebuild deletes is renamed out of its way, and deleted after it."""

from __future__ import annotations

from pathlib import Path

from charte_ia.mkdocs import aside


def test_a_folder_put_aside_is_gone_at_once_and_deleted_later(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "chartes" / "a").mkdir(parents=True)
    (folder / "chartes" / "a" / "index.html").write_text("x")
    (folder / "index.html").write_text("x")
    (folder / ".cache").mkdir()
    aside.empty_folder(folder)
    # MkDocs' emptying of the folder finds nothing left to delete; hidden names stay, as MkDocs keeps them.
    assert sorted(p.name for p in folder.iterdir()) == [".cache", aside.BIN]
    assert len(list((folder / aside.BIN).iterdir())) == 2
    aside.delete_later()
    aside.wait()
    assert sorted(p.name for p in folder.iterdir()) == [".cache"]


def test_what_does_not_exist_is_nothing_to_put_aside(tmp_path: Path) -> None:
    aside.put_aside(tmp_path / "absent")
    aside.delete_later()
    aside.wait()
    assert list(tmp_path.iterdir()) == []
