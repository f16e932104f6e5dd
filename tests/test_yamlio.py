"""YAML with line numbers, and the cache of parsed files the build reads the curation through."""

from __future__ import annotations

import pytest

from graphkit import yamlio
from graphkit.errors import CurationError


@pytest.fixture
def files(tmp_path):
    (tmp_path / "a.yaml").write_text("entities:\n  - id: x\n    label: first\n", encoding="utf-8")
    return tmp_path


def test_a_file_read_twice_is_parsed_once(files, monkeypatch):
    cache = yamlio.ParsedCache(files / "cache")
    first = cache.load(files / "a.yaml", "a.yaml")
    monkeypatch.setattr(yamlio, "loads", lambda *args: pytest.fail("parsed again"))
    again = yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")
    assert again == first == {"entities": [{"id": "x", "label": "first"}]}
    entity = again["entities"][0]
    assert (entity.path, entity.line, entity.key_line("label")) == ("a.yaml", 2, 3)


def test_a_changed_file_or_name_is_parsed_again(files):
    cache = yamlio.ParsedCache(files / "cache")
    cache.load(files / "a.yaml", "a.yaml")
    (files / "a.yaml").write_text("entities:\n  - id: x\n    label: second\n", encoding="utf-8")
    assert cache.load(files / "a.yaml", "a.yaml")["entities"][0]["label"] == "second"
    assert cache.load(files / "a.yaml", "other.yaml")["entities"][0].path == "other.yaml"


def test_a_broken_file_is_never_kept(files):
    (files / "bad.yaml").write_text("a: [1,\n", encoding="utf-8")
    cache = yamlio.ParsedCache(files / "cache")
    for _ in range(2):
        with pytest.raises(CurationError, match=r"^bad.yaml:\d+: malformed YAML"):
            cache.load(files / "bad.yaml", "bad.yaml")
    assert not (files / "cache").exists()


def test_a_damaged_or_unwritable_cache_only_costs_a_parse(files):
    cache = yamlio.ParsedCache(files / "cache")
    cache.load(files / "a.yaml", "a.yaml")
    for entry in (files / "cache").iterdir():
        entry.write_bytes(b"not a pickle")
    assert yamlio.ParsedCache(files / "cache").load(files / "a.yaml")["entities"][0]["id"] == "x"
    (files / "file").write_text("", encoding="utf-8")
    assert yamlio.ParsedCache(files / "file" / "cache").load(files / "a.yaml")["entities"][0]["id"] == "x"


class _Runs:
    """A pickle that runs code when it is read."""

    def __reduce__(self):
        return (exec, ("import pathlib; pathlib.Path(__import__('os').environ['RAN']).write_text('ran')",))


def test_an_entry_others_may_write_or_made_of_other_contents_is_never_read(files, monkeypatch):
    """An entry of a shared cache was unpickled whoever wrote it (it ran their code), and a
    well-formed entry of other contents was taken for the file's."""
    import pickle

    monkeypatch.setenv("RAN", str(files / "ran"))
    yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")
    [entry] = (files / "cache").iterdir()
    assert entry.stat().st_mode & 0o777 == 0o600 and (files / "cache").stat().st_mode & 0o777 == 0o700
    entry.write_bytes(pickle.dumps(_Runs()))
    entry.chmod(0o666)                                     # anyone may write it
    assert yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")["entities"][0]["label"] == "first"
    assert not (files / "ran").exists()
    entry.write_bytes(pickle.dumps(("0" * 64, {"entities": []})))
    entry.chmod(0o600)                                     # the user's own, but made of other contents
    assert yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")["entities"][0]["label"] == "first"
    entry.write_bytes(pickle.dumps(_Runs()))
    entry.chmod(0o666)
    (files / "cache").chmod(0o777)                         # the user's folder, made private again; the entry not read
    assert yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")["entities"][0]["label"] == "first"
    assert not (files / "ran").exists() and (files / "cache").stat().st_mode & 0o777 == 0o700
    assert yamlio.ParsedCache(files / "cache").load(files / "a.yaml", "a.yaml")["entities"][0]["label"] == "first"
    assert entry.stat().st_mode & 0o777 == 0o600            # written again, the cache on again


def test_prune_keeps_what_the_last_load_read_and_keep_false_writes_nothing(files):
    (files / "b.yaml").write_text("b: 1\n", encoding="utf-8")
    first = yamlio.ParsedCache(files / "cache")
    first.load(files / "a.yaml")
    first.load(files / "b.yaml")
    assert len(list((files / "cache").iterdir())) == 2
    second = yamlio.ParsedCache(files / "cache")
    second.load(files / "b.yaml")
    second.prune()
    assert [entry.name for entry in (files / "cache").iterdir()] == list(second.used)
    checking = yamlio.ParsedCache(files / "check-cache", keep=False)
    checking.load(files / "a.yaml")
    checking.prune()
    assert not (files / "check-cache").exists()


def test_an_edit_after_a_cached_build_is_built(mini, cli):
    """The build reads the curation through the cache: an edited file is read as edited."""
    assert cli("build", root=mini.root).code == 0
    assert any((mini.cache_dir / "yaml").glob("*/*.pickle"))
    path = next(mini.entities_dir.glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    label = text.split("label: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(f"label: {label}\n", f"label: {label} renamed\n", 1), encoding="utf-8")
    assert cli("build", root=mini.root).code == 0
    assert f'"{label.strip(chr(34))} renamed"' in mini.all_ttl.read_text(encoding="utf-8")


@pytest.mark.parametrize("text, message", [
    ("a: 1\n? [a, b]\n: 2\n", "f.yaml:2: a key must be a text, not a sequence"),
    ("a: 1\n{a: 1}: 2\n", "f.yaml:2: a key must be a text, not a mapping"),
    ("a: 1\n\nb: x\x00y\n", "f.yaml:3: malformed YAML: the character U+0000 is not allowed in YAML"),
])
def test_a_key_that_is_no_text_or_a_character_yaml_refuses_is_said_at_its_line(text, message):
    """A complex key ended in `TypeError: unhashable type`; a NUL byte in two lines naming a
    character position, not a line."""
    with pytest.raises(CurationError) as refused:
        yamlio.loads(text, "f.yaml")
    assert str(refused.value) == message


def test_a_file_too_large_without_aliases_is_not_blamed_on_aliases(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_VALUES", 10)
    with pytest.raises(CurationError, match="holds more than 10 values: split it"):
        yamlio.loads("a: [" + ", ".join(["1"] * 20) + "]\n", "f.yaml")
    with pytest.raises(CurationError, match="once its aliases"):
        yamlio.loads("a: &x [1, 2, 3]\nb: [*x, *x, *x, *x]\n", "f.yaml")



def test_a_quote_in_a_comment_is_not_blamed_for_a_syntax_error():
    """A comment quoting a title over two lines ('# "Is the relapse rate ... leukemia?"') had the
    message for an unclosed '[' ten lines later ask whether the quote opened in the comment was closed."""
    text = '# "Is the rate high for\n# children?" (2023)\nsource: x\nstatements:\n  - s: [unclosed\n    p: q\n'
    with pytest.raises(CurationError) as failed:
        yamlio.loads(text, "s.yaml")
    assert "malformed YAML" in str(failed.value) and "quote opened" not in str(failed.value), failed.value
    with pytest.raises(CurationError, match=r"is the quote opened at line 5 closed"):
        yamlio.loads('source: x\nstatements:\n  - s: a\n    p: b\n    quote: "open\n  - s: [c\n', "s.yaml")
