"""The source texts are the documents as received, and the manifest describes them."""

import hashlib

import pytest

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
