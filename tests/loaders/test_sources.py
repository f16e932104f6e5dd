"""The source texts are the documents as received, and the manifest describes them."""

import hashlib
import shutil
from pathlib import Path

import pytest

from graphkit.errors import CurationError
from loaders.sources import load_sources

from ..conftest import SHARED_SEEDS


def test_manifest_lists_five_documents_with_hashes(project):
    sources = load_sources(project.manifest)
    assert [s.number for s in sources.values()] == ["000", "001", "002", "003", "004"]
    for source in sources.values():
        assert hashlib.sha256(source.path.read_bytes()).hexdigest() == source.sha256


@pytest.mark.skipif(not SHARED_SEEDS.exists(), reason="the shared seed folder is not beside this checkout")
def test_sources_are_byte_identical_to_the_seeds(project):
    for source in load_sources(project.manifest).values():
        assert source.path.read_bytes() == (SHARED_SEEDS / source.path.name).read_bytes()


def test_stated_bibliographic_data(project):
    sources = load_sources(project.manifest)
    assert sources["nci_pdq_childhood_all"].metadata["pmid"] == "26389385"
    assert sources["chang_2004_jmml_second_hsct"].metadata["doi"] == "10.1097/00043426-200403000-00009"
    assert sources["cainiu_qa_2023"].metadata["date"] == "2023-10-09"


def test_every_section_anchor_resolves_and_sections_tile_the_text(project):
    for source in load_sources(project.manifest).values():
        assert source.sections[0].start == 0
        for before, after in zip(source.sections, source.sections[1:]):
            assert before.end == after.start
        assert source.sections[-1].end == len(source.text)


def test_changed_source_is_refused(mini, cli):
    path = mini.sources_dir / "004_647d14a6e936dc44.txt"
    path.write_bytes(path.read_bytes() + b" ")
    result = cli("build", root=mini.root)
    assert result.code == 2, result
    assert "sources/manifest.yaml:" in result.err and "004_647d14a6e936dc44.txt changed" in result.err


def _manifest_of_two(project, tmp_path, first: str = "", second: str = "") -> Path:
    """A manifest in ``tmp_path`` of documents 004 and 001, each entry with the extra or changed
    lines given (a later key replaces the one above it: YAML keeps the last, as duplicate keys
    are refused)."""
    sources = load_sources(project.manifest)
    lines = ["sources:"]
    for source, extra in ((sources["chang_2004_jmml_second_hsct"], first), (sources["icd10_c93_32_page"], second)):
        shutil.copy(source.path, tmp_path / source.path.name)
        fields = {"id": source.id, "number": f'"{source.number}"', "file": source.path.name,
                  "sha256": source.sha256, "title": "a title", "type": "a page"}
        for line in filter(None, extra.split("\n")):
            key, _, value = line.partition(": ")
            fields[key] = value
        lines += [f"  - {key}: {value}" if i == 0 else f"    {key}: {value}" for i, (key, value) in enumerate(fields.items())]
    (tmp_path / "manifest.yaml").write_text("\n".join(lines) + "\n")
    return tmp_path / "manifest.yaml"


@pytest.mark.parametrize("field, said", [
    ("id: [a, b]", "id must be a local id ([a-z0-9_]), not ['a', 'b']"),
    ("id: 12", "id must be a local id ([a-z0-9_]), not 12"),
    ('id: "a\\"b"', "id must be a local id ([a-z0-9_]), not 'a\"b'"),
    ("number: [1]", "number must be digits in quotes"),
    ('number: "../x"', "number must be digits in quotes"),
    ("number: 004", "number must be digits in quotes (\"004\"; unquoted, YAML reads 004 as the number 4), not 4"),
    ("title: [a, b]", "title must be a text, not ['a', 'b']"),
    ("type: {a: 1}", "type must be a text, not {'a': 1}"),
    ("creator: 12", "creator must be a text, not 12"),
    ("url: 12", "url must be an http(s) URL, not 12"),
    ('url: "https://x.org/a\\"b"', "url must be an http(s) URL"),
    ("doi: [x]", "doi must be a DOI (10.NNNN/...), not ['x']"),
    ('pmid: "123 456"', "pmid must be a PubMed id, digits in quotes"),
    ("sha256: [x]", "sha256 must be the file's SHA-256 in 64 lowercase hexadecimal digits, not ['x']"),
    ("sections: 5", "sections must be a list of {anchor, title, kind}, not 5"),
    ("sections: [just a text]", "a section is {anchor, title, kind}"),
    ("sections: [{anchor: 12, title: t, kind: chrome}]", "a section is {anchor, title, kind}"),
    ("sections: [{anchor: Abstract, title: [t], kind: chrome}]", "a section is {anchor, title, kind}"),
])
def test_a_field_of_the_wrong_kind_is_said_at_its_line(project, tmp_path, field, said):
    """The manifest was read as it came: `number: [1]` went into the IRI of every evidence node
    (a traceback when the release was parsed), `id: [a]`, `url: 12` or a section that is a text
    were tracebacks, and `title: [a, b]` was built as the text "['a', 'b']"."""
    manifest = _manifest_of_two(project, tmp_path, first=field)
    with pytest.raises(CurationError) as info:
        load_sources(manifest)
    key = field.split(":")[0]
    line = next(i for i, text in enumerate(manifest.read_text().splitlines(), 1)
                if text.strip().lstrip("- ").startswith(key + ":"))
    assert len(info.value.problems) == 1 and said in info.value.problems[0][1], info.value.problems
    assert info.value.problems[0][0].line == line


def test_two_documents_of_one_number_are_refused(project, tmp_path):
    """Two sources numbered "004" built: `--source 004` and /source/004 then named one of them."""
    manifest = _manifest_of_two(project, tmp_path, second='number: "004"')
    with pytest.raises(CurationError) as info:
        load_sources(manifest)
    assert [problem for _, problem in info.value.problems] == [
        "duplicate source number '004' (also 'chang_2004_jmml_second_hsct', at sources/manifest.yaml:2)"]


def test_a_source_file_that_is_a_folder_is_said_so(project, tmp_path):
    manifest = _manifest_of_two(project, tmp_path)
    folder = tmp_path / load_sources(project.manifest)["icd10_c93_32_page"].path.name
    folder.unlink()
    folder.mkdir()
    with pytest.raises(CurationError) as info:
        load_sources(manifest)
    assert [problem for _, problem in info.value.problems] == [
        f"source file '{folder.name}' cannot be read: Is a directory"]


def test_the_curation_guides_quote_messages_are_what_the_source_says(project):
    """ontology/curation/README.md shows what the build says of a wrong quote in 001; each near
    miss and offset there is the source's own (a reworded message or a changed text fails here)."""
    import re

    guide = (project.root / "ontology" / "curation" / "README.md").read_text(encoding="utf-8")
    source = load_sources(project.manifest)["icd10_c93_32_page"]
    near = re.findall(r"near miss: (.+): '([^']+)'$", guide, re.MULTILINE)
    assert len(near) == 2, near
    for hint, quote in near:
        assert source.near_miss(quote) == hint
    assert source.occurrences("we will discuss the nature of JMML relapse") == [536]
    assert "(it occurs at [536])" in guide
