"""Smoke tests of offline ``kgx validate``: a tiny valid KGX TSV pair passes with the Biolink model
of the biolink-model package, and the defects graphkit's export had are reported exactly."""

from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KGX = Path(__file__).parent / "data" / "kgx"


def kinds(errors):
    return Counter((e["level"], e["type"], e["entity"]) for e in errors)


def test_a_valid_pair_passes(kgx_offline):
    files = [KGX / "tiny_nodes.tsv", KGX / "tiny_edges.tsv"]
    assert kgx_offline(files, extra_prefixes={}) == []
    assert kgx_offline(files) == []                                   # with graphkit's prefixes added


def test_local_prefixes_and_a_pipe_in_an_edge_id(kgx_offline, tmp_path):
    nodes = (KGX / "tiny_nodes.tsv").read_text().replace("MONDO:0011908", "gke:jmml")
    edges = (KGX / "tiny_edges.tsv").read_text().replace("MONDO:0011908", "gke:jmml").replace(
        "urn:uuid:6f9f1f5e-2d1c-4b8e-9a57-1b2f3c4d5e6f", "gke:jmml|hasSymptom|HP:0001945")
    (tmp_path / "x_nodes.tsv").write_text(nodes)
    (tmp_path / "x_edges.tsv").write_text(edges)
    files = [tmp_path / "x_nodes.tsv", tmp_path / "x_edges.tsv"]
    # '|' is KGX's list separator: the edge id is read as a list of three values.
    list_valued_id = ("ERROR", "INVALID_EDGE_PROPERTY_VALUE_TYPE", "gke:jmml->HP:0001945")
    assert kinds(kgx_offline(files)) == Counter([list_valued_id])
    assert kinds(kgx_offline(files, extra_prefixes={})) == Counter([
        ("ERROR", "INVALID_NODE_PROPERTY_VALUE", "gke:jmml"),
        ("ERROR", "INVALID_EDGE_PROPERTY_VALUE", "gke:jmml->HP:0001945"),
        list_valued_id])
