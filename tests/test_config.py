"""The release declaration (ontology/release.yaml): read by the build, validate and link;
every problem in it named with its line."""

from __future__ import annotations

import pytest

from graphkit.config import load_config
from graphkit.errors import CurationError, EnvironmentProblem
from graphkit.project import Project


def test_the_project_declares_its_products_fail_level_and_imports(project):
    config = project.config
    assert [(p.content, p.path) for p in config.products] == [
        ("release", "ontology/all.ttl"), ("inferred", "ontology/inferred.ttl"),
        ("property-shapes", "ontology/shapes-properties.ttl"), ("coverage", "docs/coverage.md"),
        ("catalog", "ontology/catalog-v001.xml")]
    assert project.all_ttl == project.root / "ontology/all.ttl"
    assert config.fail_on == "violation" and config.failing_levels == ("violation",)
    assert {m.id: m.method for m in config.imports} == {
        "hp": "terms-and-ancestors", "mondo": "terms-and-mappings", "doid": "terms-and-ancestors",
        "icd10cm": "code-hierarchy", "icd10who": "code-hierarchy",
        **dict.fromkeys(["ncit", "orpha", "chebi", "unii", "hgnc", "ncbigene", "ecto", "maxo", "symp"], "labels")}
    assert sorted(p.stem for p in project.imports_dir.glob("*.ttl")) == sorted(m.id for m in config.imports)


def _replace(project: Project, old: str, new: str) -> int:
    text = project.release_config.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    project.release_config.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, message", [
    ('  title: "graphkit: pediatric leukemia knowledge graph"', "  title: [a, b]",
     "ontology: title must be a text, not ['a', 'b']"),
    ("  creator: graphkit curators", "  creator: 12", "ontology: creator must be a text, not 12"),
    ("  license: https://creativecommons.org/licenses/by/4.0/\n\n", "  license: [x]\n\n",
     "ontology: license must be an http(s) IRI, not ['x']"),
    ("  - id: hp\n", "  - id: 'h\"p'\n", "id must be a name of lowercase letters, digits, '_' or '-'"),
    ("    prefix: HP\n", "    prefix: [HP]\n", "prefix must be a CURIE prefix (HP, MONDO ...), not ['HP']"),
    ("    source: http://purl.obolibrary.org/obo/hp.obo\n", "    source: 'http://x/a b'\n",
     "source must be an http(s) IRI, not 'http://x/a b'"),
    ("    title: Human Phenotype Ontology extract\n", "    title: {a: 1}\n", "title must be a text, not {'a': 1}"),
])
def test_a_field_that_is_no_text_or_not_of_its_form_is_said_at_its_line(mini, old, new, message):
    """Every field had been read with str(): `title: [a, b]` built the title "['a', 'b']", and an
    import's `id: h"p` went into its module's IRI, a traceback once the release was parsed."""
    line = _replace(mini, old, new)
    with pytest.raises(CurationError) as info:
        load_config(mini.release_config, "ontology/release.yaml")
    assert str(info.value).startswith(f"ontology/release.yaml:{line}: ") and message in str(info.value), str(info.value)
    assert len(info.value.problems) == 1


@pytest.mark.parametrize("old, new, message", [
    ("      content: coverage\n", "      content: coverage\n      colour: blue\n", "unknown field(s) ['colour']"),
    ("      content: inferred\n", "      content: inferences\n", "content must be one of release, inferred"),
    ("  fail_on: violation ", "  fail_on: error ", "fail_on must be one of violation, warning, info, not 'error'"),
    ("    code_class: ICD10CMCode\n", "", "method must be one of"),
    ("    method: terms-and-mappings\n", "", "missing field(s) ['method']"),
])
def test_problems_are_named_with_their_line(mini, old, new, message):
    line = _replace(mini, old, new)
    lines = mini.release_config.read_text(encoding="utf-8").splitlines()
    if not old.startswith("  fail_on"):          # an entry's problem: the line where the entry starts
        line = max(n for n in range(1, line + 1) if lines[n - 1].lstrip().startswith("- "))
    with pytest.raises(CurationError) as info:
        load_config(mini.release_config, "ontology/release.yaml")
    assert str(info.value).startswith(f"ontology/release.yaml:{line}: ") and message in str(info.value)


@pytest.mark.parametrize("old, new, message", [
    ("path: docs/coverage.md", "path: ../../etc/x.ttl",
     "a product's path is relative to the project and stays in it, not '../../etc/x.ttl'"),
    ("path: docs/coverage.md", "path: /tmp/coverage.md",
     "a product's path is relative to the project and stays in it, not '/tmp/coverage.md'"),
    ("path: docs/coverage.md", "path: ontology/schema.ttl",
     "the product path 'ontology/schema.ttl' is a file the build reads or runs"),
    ("path: docs/coverage.md", "path: ontology/curation/notes.md", "is a file the build reads or runs"),
    ("path: docs/coverage.md", "path: ontology/all.ttl", "two products have the path 'ontology/all.ttl'"),
    ("path: docs/coverage.md", "path: docs", "the product path 'docs' is outside ontology/ and docs/"),
    ("path: docs/coverage.md", "path: .", "a product's path is relative to the project and stays in it, not '.'"),
    ("path: docs/coverage.md", "path: pyproject.toml", "the product path 'pyproject.toml' is outside ontology/ and docs/"),
    ("path: docs/coverage.md", "path: ontology/imports", "is a file the build reads or runs"),
    ("path: docs/coverage.md", "path: ontology", "the product path 'ontology' is outside"),
    ("version: 0.1.0", "version: [1]", "ontology: version must be a text, not [1]"),
    ("version: 0.1.0", "version: a b", "not 'a b'"),
])
def test_a_product_path_outside_the_project_or_over_an_input_is_refused_at_its_line(mini, old, new, message):
    """Such paths were written with exit 0: the release outside the project, the coverage report
    over the schema (the next build failed on it); a version of `[1]` ended in a traceback."""
    line = _replace(mini, old, new)
    with pytest.raises(CurationError) as info:
        load_config(mini.release_config, "ontology/release.yaml")
    assert str(info.value).startswith(f"ontology/release.yaml:{line}: ") and message in str(info.value), info.value


def test_a_product_named_through_a_link_into_a_curated_file_is_refused(mini):
    """docs/cov2.md, a link to ontology/shapes.ttl, had the curated shapes replaced by the
    coverage report, with exit 0: the path is read where it leads."""
    (mini.root / "docs" / "cov2.md").symlink_to("../ontology/shapes.ttl")
    line = _replace(mini, "path: docs/coverage.md", "path: docs/cov2.md")
    with pytest.raises(CurationError) as info:
        load_config(mini.release_config, "ontology/release.yaml")
    assert str(info.value) == (f"ontology/release.yaml:{line}: the product path 'docs/cov2.md' is a file the build "
                               f"reads or runs (sources, ontology/curation, ontology/imports, ontology/schema.ttl, "
                               f"ontology/shapes.ttl, ontology/release.yaml, queries, loaders, graphkit are curated)")


def test_products_that_are_no_list_are_said(mini):
    _replace(mini, "  products:\n", "  products: 5\n  old_products:\n")
    with pytest.raises(CurationError, match="expected a list of entries, got 5"):
        load_config(mini.release_config, "ontology/release.yaml")


def test_a_project_without_a_declaration(tmp_path):
    with pytest.raises(EnvironmentProblem, match="ontology/release.yaml not found: not a graphkit project"):
        Project(tmp_path).all_ttl


def test_the_build_fails_on_the_declared_level(mini, cli):
    """The mini project has warnings and no violations: it builds, until warnings fail."""
    assert cli("build", root=mini.root).code == 0
    _replace(mini, "  fail_on: violation ", "  fail_on: warning ")
    before = mini.all_ttl.read_bytes()
    result = cli("build", root=mini.root)
    assert result.code == 1, result
    assert "warning [entity-without-edges] gke:fever" in result.err and "nothing was written" in result.err
    assert mini.all_ttl.read_bytes() == before
    assert cli("validate", root=mini.root).code == 1
