"""graphkit build: deterministic release, --check, and clear errors for every kind of bad input."""

from pathlib import Path

import pytest

from graphkit.build import build, compile_release

STATEMENTS_004 = "ontology/curation/statements/004_chang_2004_jmml_second_hsct.yaml"
ENTITIES = "ontology/curation/entities/diseases.yaml"


def append(path: Path, text: str) -> int:
    """Append ``text`` to a file; return the line number where it starts."""
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    start = content.count("\n") + 1
    path.write_text(content + text, encoding="utf-8")
    return start


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return its line number."""
    content = path.read_text(encoding="utf-8")
    index = content.index(old)
    path.write_text(content[:index] + new + content[index + len(old):], encoding="utf-8")
    return content[:index].count("\n") + 1


def expect_build_error(cli, project, needle: str):
    before = project.all_ttl.read_bytes()
    result = cli("build", root=project.root)
    assert result.code == 2, result
    assert needle in result.err, result
    assert project.all_ttl.read_bytes() == before, "a failed build must leave all.ttl untouched"
    return result


def test_build_twice_is_byte_identical(project_copy, cli):
    first = cli("build", root=project_copy.root)
    assert first.code == 0, first
    outputs = {p: p.read_bytes() for p in (project_copy.all_ttl, project_copy.inferred_ttl,
                                           project_copy.coverage_report)}
    second = cli("build", root=project_copy.root)
    assert second.code == 0, second
    for path, data in outputs.items():
        assert path.read_bytes() == data, f"{path.name} differs between two builds"


def test_committed_release_is_up_to_date(cli, project):
    result = cli("build", "--check", root=project.root)
    assert result.code == 0, result
    assert "up to date" in result.out


def test_check_detects_a_stale_release(project_copy, cli):
    replace_once(project_copy.root / STATEMENTS_004, "value: girl", "value: 5-year-old girl")
    result = cli("build", "--check", root=project_copy.root)
    assert result.code == 1, result
    assert "stale build output" in result.err and "ontology/all.ttl" in result.err


def test_check_detects_a_hand_edited_release(project_copy, cli):
    append(project_copy.all_ttl, "# hand edit\n")
    result = cli("build", "--check", root=project_copy.root)
    assert result.code == 1, result
    assert "ontology/all.ttl" in result.err


def test_summary_prints_counts(cli, project_copy):
    result = cli("build", root=project_copy.root)
    assert result.code == 0, result
    assert "triples" in result.out and "statements with evidence" in result.out
    assert "chang_2004_jmml_second_hsct" in result.out


def test_quote_not_found(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                        'quote: "A 6-year-old girl with JMML"\n')
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: quote not found verbatim")


def test_quote_with_different_spacing_gets_a_hint(project_copy, cli):
    replace_once(project_copy.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                 'quote: "A 5-year-old  girl with JMML"\n')
    expect_build_error(cli, project_copy, "near miss with different spacing")


def test_unknown_entity_id(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, "o: second_allogeneic_hsct",
                        "o: second_alogeneic_hsct")
    result = expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: unknown entity id 'second_alogeneic_hsct'")
    assert "did you mean 'second_allogeneic_hsct'" in result.err


def test_unknown_predicate(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, "p: studiesCondition", "p: studiesDisease")
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: unknown predicate 'studiesDisease'")


def test_object_of_wrong_type(project_copy, cli):
    line = append(project_copy.root / STATEMENTS_004,
                  '  - s: jmml\n    p: hasSymptom\n    o: vincristine\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n')
    expect_build_error(cli, project_copy,
                       f"{STATEMENTS_004}:{line + 2}: object 'vincristine' (Drug) does not fit the range Phenotype")


def test_subject_outside_domain(project_copy, cli):
    line = append(project_copy.root / STATEMENTS_004,
                  '  - s: vincristine\n    p: hasSymptom\n    o: fever\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n')
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: subject 'vincristine' (Drug) is outside the domain")


def test_scope_qualifier_of_wrong_kind(project_copy, cli):
    line = append(project_copy.root / STATEMENTS_004,
                  '  - s: jmml\n    p: treatedWith\n    o: hsct\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n'
                  '    state: [vincristine]\n')
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line + 4}: qualifier state 'vincristine' is not a DiseaseState")


def test_duplicate_entity_id(project_copy, cli):
    line = append(project_copy.root / ENTITIES, "  - {id: jmml, type: Disease, label: another JMML}\n")
    expect_build_error(cli, project_copy, f"{ENTITIES}:{line}: duplicate entity id 'jmml' (first defined at {ENTITIES}:")


def test_entity_without_label(project_copy, cli):
    line = append(project_copy.root / ENTITIES, "  - {id: nameless_disease, type: Disease}\n")
    expect_build_error(cli, project_copy, f"{ENTITIES}:{line}: entity 'nameless_disease' has no label")


def test_entity_without_type(project_copy, cli):
    line = append(project_copy.root / ENTITIES, "  - {id: typeless, label: something}\n")
    expect_build_error(cli, project_copy, f"{ENTITIES}:{line}: entity 'typeless' has no type")


def test_entity_with_unknown_type(project_copy, cli):
    line = append(project_copy.root / ENTITIES, "  - {id: oddity, type: Diseases, label: something}\n")
    expect_build_error(cli, project_copy, f"{ENTITIES}:{line}: entity 'oddity': unknown type(s) ['Diseases']")


def test_malformed_file(project_copy, cli):
    append(project_copy.root / STATEMENTS_004, "  - s: jmml\n    p: [unclosed\n")
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:")
    result = cli("build", root=project_copy.root)
    assert "malformed YAML" in result.err


def test_duplicate_key_in_yaml(project_copy, cli):
    line = append(project_copy.root / STATEMENTS_004,
                  '  - s: jmml\n    s: hsct\n    p: prevalence\n    value: rare\n    quote: "rare"\n')
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line + 1}: duplicate key 's'")


def test_number_without_unit(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, "quantity: {value: 5, unit: year}", "quantity: {value: 5}")
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: number without unit")


def test_bare_number_for_a_quantity_property(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, "quantity: {value: 5, unit: year}", "value: 5")
    expect_build_error(cli, project_copy, "a number for this property needs a unit")
    assert line > 0


def test_text_value_must_be_in_the_quote(project_copy, cli):
    line = replace_once(project_copy.root / STATEMENTS_004, "value: girl", "value: boy")
    expect_build_error(cli, project_copy, f"{STATEMENTS_004}:{line}: text value 'boy' of patientSex must occur verbatim")


def test_ambiguous_quote_asks_for_start(project_copy, cli):
    replace_once(project_copy.root / STATEMENTS_004, "    start: 585\n", "")
    expect_build_error(cli, project_copy, "quote occurs 2 times")


def test_several_errors_are_reported_together(project_copy, cli):
    replace_once(project_copy.root / STATEMENTS_004, "p: studiesCondition", "p: studiesDisease")
    replace_once(project_copy.root / STATEMENTS_004, "value: girl", "value: boy")
    result = cli("build", root=project_copy.root)
    assert result.code == 2
    assert "studiesDisease" in result.err and "'boy'" in result.err


def test_library_build_writes_atomically(project_copy):
    release = build(project_copy)
    assert project_copy.all_ttl.read_text(encoding="utf-8") == release.outputs()[project_copy.all_ttl]
    leftovers = [p for p in project_copy.ontology_dir.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


def test_compile_release_counts(release):
    summary = release.summary()
    assert summary["statements"] == len(release.statements) > 0
    assert summary["triples"] == len(release.triples)
    assert set(summary["statements_by_source"]) == {
        "cainiu_qa_2023", "icd10_c93_32_page", "rxharun_pediatric_all_guide", "nci_pdq_childhood_all",
        "chang_2004_jmml_second_hsct"}


@pytest.mark.parametrize("reasoner", ["owlrl"])
def test_inferred_triples_are_not_asserted(release, reasoner):
    for triple in release.inferred:
        assert triple not in release.triples


def test_readme_states_the_current_counts(release, project):
    """The README's "What the graph holds" table is the build's summary, not a stale copy."""
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    summary = release.summary()
    for label, value in [("triples in `ontology/all.ttl`", summary["triples"]), ("entities", summary["entities"]),
                         ("curated statements, each with source, quote and offsets", summary["statements"]),
                         ("OWL RL inferences (`ontology/inferred.ttl`)", summary["inferred_triples"])]:
        assert f"| {label} | {value:,}" in readme, label
