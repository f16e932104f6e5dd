"""graphkit build: deterministic release, --check, and clear errors for every kind of bad input.

Bad input is tried on copies of the mini project (tests/fixtures/mini_project), built in
process; the real release is compiled once per session and compared with the committed files.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from graphkit.build import build

from .conftest import run_cli

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


def test_build_twice_is_byte_identical(mini, cli):
    first = cli("build", root=mini.root)
    assert first.code == 0, first
    outputs = {p: p.read_bytes() for p in (mini.all_ttl, mini.inferred_ttl, mini.coverage_report)}
    second = cli("build", root=mini.root)
    assert second.code == 0, second
    for path, data in outputs.items():
        assert path.read_bytes() == data, f"{path.name} differs between two builds"


@pytest.mark.slow
def test_lines_moved_in_the_curation_leave_the_release_as_it_was(mini, cli):
    """The release records each statement's and entity's file, not its line: a line inserted
    above them rewrote some 350 evidence nodes of all.ttl. The QC findings still give the line,
    read from the curation."""
    def finding_lines() -> list[int]:
        report = cli("validate", "--format", "json", "--level", "info", root=mini.root)
        return sorted(int(f["location"].rpartition(":")[2]) for f in json.loads(report.out)["findings"]
                      if f["location"].startswith(f"{ENTITIES}:"))

    assert cli("build", root=mini.root).code == 0
    before, lines = mini.all_ttl.read_bytes(), finding_lines()
    assert lines
    for name in (STATEMENTS_004, ENTITIES):
        path = mini.root / name
        path.write_text("# a note above everything\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("build", root=mini.root).code == 0
    assert mini.all_ttl.read_bytes() == before
    assert finding_lines() == [line + 2 for line in lines]


def test_committed_release_is_up_to_date(release, project):
    """The release compiled in this process is, byte for byte, the committed one (the build
    that wrote those files ran in another process: the output does not depend on it)."""
    for path, text in release.outputs().items():
        assert path.read_text(encoding="utf-8") == text, f"{project.relative(path)} is stale: run `graphkit build`"


@pytest.mark.slow
def test_build_check_as_a_command_with_another_hash_seed(project):
    result = run_cli("build", "--check", root=project.root, env={"PYTHONHASHSEED": "12345"})
    assert result.code == 0, result
    assert "up to date" in result.out


def test_check_detects_a_stale_release(mini, cli):
    replace_once(mini.root / STATEMENTS_004, "value: girl", "value: 5-year-old girl")
    result = cli("build", "--check", root=mini.root)
    assert result.code == 1, result
    assert "stale build output" in result.err and "ontology/all.ttl" in result.err


def test_check_detects_a_hand_edited_release(mini, cli):
    append(mini.all_ttl, "# hand edit\n")
    result = cli("build", "--check", root=mini.root)
    assert result.code == 1, result
    assert "ontology/all.ttl" in result.err


def test_summary_prints_counts(cli, mini):
    result = cli("build", root=mini.root)
    assert result.code == 0, result
    assert "triples" in result.out and "statements with evidence" in result.out
    assert "chang_2004_jmml_second_hsct" in result.out
    # each source with its document number, which the catalogue's answers name it by
    assert re.search(r"^004 +chang_2004_jmml_second_hsct +\d+$", result.out, re.M), result.out


def test_quiet_summary_is_the_three_lines_without_the_tables(cli, mini):
    """A curator rebuilding after each edit read ~150 lines of tables each time."""
    full = cli("build", root=mini.root)
    quiet = cli("build", "-q", root=mini.root)
    assert quiet.code == 0, quiet
    lines = quiet.out.splitlines()
    assert len(lines) == 3 and lines == full.out.splitlines()[:3], quiet.out
    assert "ontology/all.ttl built: " in lines[0] and lines[2].startswith("QC: ")
    assert "chang_2004_jmml_second_hsct" not in quiet.out and "timings" not in quiet.out


def test_a_curation_error_from_the_real_command(mini):
    """The command as a user runs it: exit 2, one file:line line on stderr, nothing written."""
    line = replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                        'quote: "A 6-year-old girl with JMML"\n')
    before = mini.all_ttl.read_bytes()
    result = run_cli("build", root=mini.root)
    assert result.code == 2, result
    assert result.err.splitlines() == [f"{STATEMENTS_004}:{line}: quote not found verbatim in "
                                       f"004_647d14a6e936dc44.txt; near miss: its last 24 characters match at "
                                       f"offset 1195; before them the source has 'failure. A 5' where the quote has "
                                       f"'A 6': 'A 6-year-old girl with JMML'"], result
    assert mini.all_ttl.read_bytes() == before


@pytest.mark.parametrize("section, hint", [
    ("Abstrakt", " (did you mean 'Abstract'?)"),
    ("Results", "; its sections: 'Site header', 'Citation and title', 'Abstract', 'Page footer'")])
def test_an_unknown_section_names_the_nearest_or_every_section(mini, cli, section, hint):
    line = replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                        f'quote: "A 5-year-old girl with JMML"\n    section: {section}\n') + 1
    result = cli("build", root=mini.root)
    assert result.code == 2 and result.err.splitlines() == [
        f"{STATEMENTS_004}:{line}: no section {section!r} in chang_2004_jmml_second_hsct{hint}"], result


def _break_first_statement(path) -> int:
    """Garble the end of the first statement of a Turtle file; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if text.rstrip().endswith(" .") and not text.startswith("#"))
    lines[line - 1] = lines[line - 1].rstrip("\n") + " @@@ broken\n"
    path.write_text("".join(lines), encoding="utf-8")
    return line


@pytest.mark.parametrize("edited", ["ontology/schema.ttl", "ontology/shapes.ttl"])
def test_a_turtle_error_in_the_schema_or_shapes(mini, cli, edited):
    """One line naming the file, line and column (it was a parser's traceback), exit 2, nothing written."""
    line = _break_first_statement(mini.root / edited)
    before = mini.all_ttl.read_bytes()
    result = cli("build", root=mini.root)
    assert result.code == 2, result
    assert re.fullmatch(rf"{re.escape(edited)}:{line}: not valid Turtle \(column \d+\): .+\n", result.err), result.err
    assert mini.all_ttl.read_bytes() == before


@pytest.mark.parametrize("command", [["link", "--check"], ["export-mappings", "-o", "mappings.sssom.tsv"]])
def test_other_commands_name_a_broken_schema_by_its_project_path(mini, cli, command, tmp_path):
    line = _break_first_statement(mini.schema_file)
    result = cli(*[str(tmp_path / a) if a.endswith(".tsv") else a for a in command], root=mini.root)
    assert result.code == 2, result
    assert re.fullmatch(rf"ontology/schema\.ttl:{line}: not valid Turtle \(column \d+\): .+\n", result.err), result.err
    assert not (tmp_path / "mappings.sssom.tsv").exists()


def test_a_damaged_import_module_stops_the_build_before_it_writes(mini, cli, cache):
    """The saved store the build loads reads the import modules: a syntax error in one is one line
    naming it (it was a traceback, after the release had been written), and a query says the same."""
    imports = mini.root / "ontology" / "imports"
    imports.mkdir(exist_ok=True)
    (imports / "hp.ttl").write_text("@prefix obo: <http://purl.obolibrary.org/obo/> .\n"
                                    "obo:HP_0000001 a obo:C .\nthis is not Turtle\n", encoding="utf-8")
    written = [(path.stat().st_ino, path.read_bytes()) for path in (mini.all_ttl, mini.inferred_ttl)]
    line = "ontology/imports/hp.ttl:3: not valid Turtle (column 1): this is not a valid subject or graph name\n"
    result = cli("build", root=mini.root)
    assert (result.code, result.err) == (2, line), result
    assert [(path.stat().st_ino, path.read_bytes()) for path in (mini.all_ttl, mini.inferred_ttl)] == written
    (mini.root / "any.rq").write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    query = cli("sparql", str(mini.root / "any.rq"), root=mini.root)
    assert (query.code, query.err) == (2, line), query


def test_quote_not_found(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                        'quote: "A 6-year-old girl with JMML"\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: quote not found verbatim")


def test_quote_with_different_spacing_gets_a_hint(mini, cli):
    replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                 'quote: "A 5-year-old  girl with JMML"\n')
    expect_build_error(cli, mini, "near miss: different spacing")


def test_a_quote_in_another_section_than_the_one_named_says_where_it_is(mini, cli):
    """It said "not found verbatim; near miss with different spacing" and printed the same quote."""
    line = replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                        'quote: "A 5-year-old girl with JMML"\n    section: Citation and title\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 1}: the quote is not in section 'Citation and title' "
                                  f"of 004_647d14a6e936dc44.txt; it is in 'Abstract' (offset 1192)\n")


def test_a_quote_that_stops_matching_says_where(mini, cli):
    replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                 'quote: "A 5-year-old girl with JMML who had"\n')
    expect_build_error(cli, mini, "quote not found verbatim in 004_647d14a6e936dc44.txt; near miss: its first 27 "
                                  "characters match at offset 1192; then the source has ', who had ex' where the "
                                  "quote has ' who had'")


def test_a_misspelled_field_is_one_line_at_its_own_line(mini, cli):
    """``qoute:`` was two errors (the unknown field, then 'needs s, p and quote') at the statement's
    first line, with the allowed fields and no suggestion."""
    line = replace_once(mini.root / STATEMENTS_004, '    quote: "A 5-year-old girl with JMML"\n',
                        '    qoute: "A 5-year-old girl with JMML"\n')
    result = expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: unknown field 'qoute' (did you mean 'quote'?)")
    assert len(result.err.splitlines()) == 1, result


def test_a_quote_with_a_word_left_out_near_its_start_says_what_the_source_has(mini, cli):
    """A curator's commonest slip: one word left out. The quote's end matches; the hint shows what
    the source has before it."""
    replace_once(mini.root / STATEMENTS_004, 'quote: "A 5-year-old girl with JMML"\n',
                 'quote: "A girl with JMML, who had experienced a relapse"\n')
    expect_build_error(cli, mini, "near miss: its last 46 characters match at offset 1204; before them the source "
                                  "has 'A 5-year-old' where the quote has 'A'")


@pytest.mark.parametrize("start, shown", [('"abc"', "'abc'"), ("true", "True"), ("-3", "-3")])
def test_start_takes_a_whole_number(mini, cli, start, shown):
    line = replace_once(mini.root / STATEMENTS_004, "    start: 585\n", f"    start: {start}\n")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: start: takes the quote's character offset in "
                                  f"004_647d14a6e936dc44.txt, a whole number, not {shown}")


def test_an_id_on_a_statement_with_several_objects_is_refused(mini, cli):
    """An id names one statement; an entry with a list of objects makes one per object, and the
    build said 'duplicate statement id' citing the same line as the other copy."""
    line = append(mini.root / STATEMENTS_004, '  - s: jmml\n    p: affectsSite\n    o: [bone_marrow, blood]\n'
                                              '    quote: "Juvenile myelomonocytic leukemia (JMML)"\n    id: two_sites\n')
    result = expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 4}: id 'two_sites' names one statement, "
                                           "and this entry makes 2 (one per object)")
    assert len(result.err.splitlines()) == 1, result


def test_members_takes_some(mini, cli):
    """``members: some`` marks a class's statement made for some of its members; any other value
    is refused at its line."""
    line = append(mini.root / STATEMENTS_004, '  - s: jmml\n    p: note\n    value: JMML\n'
                                              '    quote: "Juvenile myelomonocytic leukemia (JMML)"\n    members: many\n')
    result = expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 4}: members takes 'some' (the source says some, "
                                           "certain or many of the class's members), not 'many'")
    assert len(result.err.splitlines()) == 1, result


def test_unknown_entity_id(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "o: second_allogeneic_hsct",
                        "o: second_alogeneic_hsct")
    result = expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: unknown entity id 'second_alogeneic_hsct'")
    assert "did you mean 'second_allogeneic_hsct'" in result.err


def test_unknown_predicate(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "p: studiesCondition", "p: studiesDisease")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: unknown predicate 'studiesDisease'")


def test_object_of_wrong_type(mini, cli):
    line = append(mini.root / STATEMENTS_004,
                  '  - s: jmml\n    p: hasSymptom\n    o: vincristine\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n')
    expect_build_error(cli, mini,
                       f"{STATEMENTS_004}:{line + 2}: object 'vincristine' (Drug) does not fit the range Phenotype")


def test_subject_outside_domain(mini, cli):
    line = append(mini.root / STATEMENTS_004,
                  '  - s: vincristine\n    p: hasSymptom\n    o: fever\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: subject 'vincristine' (Drug) is outside the domain")


def test_scope_qualifier_of_wrong_kind(mini, cli):
    line = append(mini.root / STATEMENTS_004,
                  '  - s: jmml\n    p: treatedWith\n    o: hsct\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n'
                  '    state: [vincristine]\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 4}: qualifier state 'vincristine' is not a DiseaseState")


def test_duplicate_entity_id(mini, cli):
    line = append(mini.root / ENTITIES, "  - {id: jmml, type: Disease, label: another JMML}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: duplicate entity id 'jmml' (first defined at {ENTITIES}:")


def test_entity_without_label(mini, cli):
    line = append(mini.root / ENTITIES, "  - {id: nameless_disease, type: Disease}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'nameless_disease' has no label")


def test_an_entity_comment_that_is_no_sentence_is_refused(mini, cli):
    """`comment: [a, b]` had become the text "['a', 'b']" (a statement's scope_note is checked so)."""
    line = append(mini.root / ENTITIES, "  - {id: listed_comment, type: Disease, label: something, comment: [a, b]}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'listed_comment': the comment is a sentence")


def test_an_entity_type_that_is_no_name_is_refused(mini, cli):
    """`type: 12` had been a traceback ('int' object is not iterable)."""
    line = append(mini.root / ENTITIES, "  - {id: oddity, type: 12, label: something}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'oddity': type is a class of the schema or a list of "
                                  "them, not 12")


@pytest.mark.parametrize("entry, said", [
    ('  - {id: "ICD10CM:C99 x", type: Disease, label: something}\n', "CURIE id 'ICD10CM:C99 x' holds ' '"),
    ('  - {id: oddity, type: Disease, label: something, xrefs: ["MONDO:0011908>"]}\n',
     "entity 'oddity': xref 'MONDO:0011908>' holds '>'"),
])
def test_a_curie_no_iri_may_hold_is_refused(mini, cli, entry, said):
    """A space or '>' in a CURIE had passed every check, then made the reasoner panic (a Rust
    backtrace and a Python traceback, exit 1)."""
    line = append(mini.root / ENTITIES, entry)
    result = expect_build_error(cli, mini, f"{ENTITIES}:{line}: {said}, which no IRI may hold")
    assert "Traceback" not in result.err and "panicked" not in result.err


@pytest.mark.parametrize("entry, said", [
    ('  - {id: oddity, type: Disease, label: "some\\0thing"}\n', "label 'some\\x00thing'"),
    ('  - {id: oddity, type: Disease, label: something, synonyms: ["other\\tname"]}\n', "synonym 'other\\tname'"),
])
def test_a_name_holding_a_control_character_is_refused(mini, cli, entry, said):
    """A NUL written as YAML's "\\0" escape in a label had been built into the release, exit 0."""
    line = append(mini.root / ENTITIES, entry)
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'oddity': {said} holds the control character")


def test_a_source_or_qualifier_that_is_no_name_is_refused(mini, cli):
    """`source: [a, b]` and `population: {a: 1}` had been tracebacks (unhashable type)."""
    path = mini.root / STATEMENTS_004
    original = path.read_text(encoding="utf-8")
    line = replace_once(path, "source: chang_2004_jmml_second_hsct", "source: [chang_2004_jmml_second_hsct]")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: source: names one source of sources/manifest.yaml by "
                                  "its id, not ['chang_2004_jmml_second_hsct']")
    path.write_text(original, encoding="utf-8")
    line = append(path, '  - s: jmml\n    p: treatedWith\n    o: hsct\n    quote: "Juvenile myelomonocytic leukemia (JMML)"\n'
                        '    population: {a: 1}\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 4}: population takes entity ids (one, or a list), "
                                  "not {'a': 1}")


@pytest.mark.parametrize("field, said", [
    ("id: [a, b]", "id must be a name for the statement (disagreements.yaml names it), not ['a', 'b']"),
    ("section: 12", "section must be the title of a section of the manifest, not 12"),
    ("section: null", "section must be the title of a section of the manifest, not None"),
])
def test_a_statement_id_or_section_that_is_no_text_is_refused(mini, cli, field, said):
    """These had been tracebacks (unhashable type; 'int' object is not iterable)."""
    line = append(mini.root / STATEMENTS_004, '  - s: jmml\n    p: treatedWith\n    o: hsct\n'
                                              f'    quote: "Juvenile myelomonocytic leukemia (JMML)"\n    {field}\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 4}: {said}")


def test_entity_without_type(mini, cli):
    line = append(mini.root / ENTITIES, "  - {id: typeless, label: something}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'typeless' has no type")


def test_entity_with_unknown_type(mini, cli):
    line = append(mini.root / ENTITIES, "  - {id: oddity, type: Diseases, label: something}\n")
    expect_build_error(cli, mini, f"{ENTITIES}:{line}: entity 'oddity': unknown type(s) ['Diseases'] "
                                  "(did you mean 'Disease', 'DiseaseState', 'DiseaseInState'?)")


def test_a_misspelled_entity_field_is_named_with_a_suggestion(mini, cli):
    """As for statements: the registry named the unknown fields with the whole allowed list."""
    line = append(mini.root / ENTITIES, "  - id: oddity\n    type: Disease\n    label: something\n"
                                        "    synonym: [odd]\n")
    result = expect_build_error(cli, mini, f"{ENTITIES}:{line + 3}: unknown field 'synonym' "
                                           "(did you mean 'synonyms'?)")
    assert len(result.err.splitlines()) == 1, result


def test_a_source_whose_statements_file_went_missing_stops_the_build(mini, cli):
    """Renamed to *.bak (or moved), the file's statements left the release, which the build replaced."""
    (mini.root / STATEMENTS_004).rename(mini.root / (STATEMENTS_004 + ".bak"))
    expect_build_error(cli, mini, "sources/manifest.yaml:4: source 'chang_2004_jmml_second_hsct' (004) has no "
                                  "statements: no file in ontology/curation/statements/ names it")


def test_a_missing_statements_directory_stops_the_build(mini, cli):
    shutil.rmtree(mini.statements_dir)
    expect_build_error(cli, mini, "ontology/curation/statements: the statements directory is missing")


@pytest.mark.parametrize("content, message", [
    ("", "disagreements.yaml: the file holds no 'disagreements:' list"),
    ("disagreement: []\n", "disagreements.yaml:1: the file holds no 'disagreements:' list"),
    ("disagreements: []\nnotes: x\n", "disagreements.yaml:2: unknown key 'notes'"),
    ("disagreements: 5\n", "disagreements.yaml:1: 'disagreements' must be a list of records"),
    ("disagreements: [5]\n", "disagreements.yaml:1: a disagreement needs id, statements and note, not 5"),
    ("disagreements:\n  - {id: a, statements: x, note: n}\n", "disagreements.yaml:2: 'statements' must be a list"),
    # the id names the disagreement's node: these had been tracebacks, or an IRI no parser reads
    ("disagreements:\n  - {id: [a], statements: [x, y], note: n}\n",
     "disagreements.yaml:2: a disagreement's id is a local id ([a-z0-9_]), not ['a']"),
    ("disagreements:\n  - {id: 12, statements: [x, y], note: n}\n",
     "disagreements.yaml:2: a disagreement's id is a local id ([a-z0-9_]), not 12"),
    ("disagreements:\n  - {id: 'a\"b', statements: [x, y], note: n}\n",
     "disagreements.yaml:2: a disagreement's id is a local id ([a-z0-9_]), not 'a\"b'"),
    ("disagreements:\n  - {id: a, statements: [x, y], note: [n]}\n",
     "disagreements.yaml:2: a disagreement's note is a text, not ['n']"),
])
def test_a_disagreements_file_that_would_drop_its_records_is_refused(mini, cli, content, message):
    (mini.root / "ontology" / "curation" / "disagreements.yaml").write_text(content, encoding="utf-8")
    expect_build_error(cli, mini, message)


@pytest.mark.parametrize("name", ["../README.md", "/etc/hostname", ".."])
def test_a_source_file_outside_the_sources_folder_is_refused(mini, cli, name):
    line = replace_once(mini.manifest, "file: 004_647d14a6e936dc44.txt", f"file: {name}")
    expect_build_error(cli, mini, f"sources/manifest.yaml:{line - 2}: source file '{name}': give the name of a file "
                                  "beside the manifest (sources/), not a path")


def test_a_source_text_that_is_not_utf8_is_one_line(mini, cli):
    path = mini.root / "sources" / "004_647d14a6e936dc44.txt"
    data = path.read_bytes() + b"\xff"
    path.write_bytes(data)
    manifest = mini.manifest.read_text(encoding="utf-8")
    mini.manifest.write_text(re.sub(r"sha256: \w+", "sha256: " + hashlib.sha256(data).hexdigest(), manifest, count=1),
                             encoding="utf-8")
    expect_build_error(cli, mini, f"sources/manifest.yaml:4: 004_647d14a6e936dc44.txt is not UTF-8 text "
                                  f"(byte {len(data) - 1})")


def test_a_statements_file_that_is_not_utf8_names_the_line(mini, cli):
    path = mini.root / STATEMENTS_004
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:5] + [lines[5] + b" \xe9"] + lines[6:]))
    expect_build_error(cli, mini, f"{STATEMENTS_004}:6: not UTF-8 text (byte 0xe9")


@pytest.mark.parametrize("old, new, message", [
    ("  - s: jmml\n    p: subtypeOf\n", "  - s: [jmml, hsct]\n    p: subtypeOf\n",
     "s must be one id (a list goes in `o:`), not ['jmml', 'hsct']"),
    ('    o: myeloproliferative_disease\n    quote: "Juvenile', '    o: myeloproliferative_disease\n    quote: 12345\n    x_quote: "Juvenile',
     "quote must be the source's words, in quotes, not 12345"),
])
def test_a_statement_field_that_is_no_text_says_so(mini, cli, old, new, message):
    """`s: [a, b]` and `quote: 12345` had been "a statement needs s, p and quote"."""
    replace_once(mini.root / STATEMENTS_004, old, new)
    result = cli("build", root=mini.root)
    assert result.code == 2 and message in result.err, result


def test_an_emptied_entity_file_is_named(mini, cli):
    """Emptied, it gave an "unknown entity id" line for each statement naming one of its entities
    (917 on the release) and no word of the file."""
    (mini.entities_dir / "diseases.yaml").write_text("# nothing yet\n", encoding="utf-8")
    result = expect_build_error(cli, mini, "ontology/curation/entities/diseases.yaml:1: an entity file holds a "
                                           "non-empty 'entities:' list (this one is empty)")
    assert "unknown entity id" not in result.err


def test_an_unclosed_quote_is_named_at_its_line(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, 'value: rare\n    quote: "Juvenile', 'value: rare\n    quote: "Juvenile')
    path = mini.root / STATEMENTS_004
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line] = lines[line].rstrip("\n").rstrip('"') + "\n"          # the quote of `prevalence`, unclosed
    path.write_text("".join(lines), encoding="utf-8")
    expect_build_error(cli, mini, f"(is the quote opened at line {line + 1} closed?)")


def test_a_quote_longer_than_its_source_is_refused_at_once(mini, cli):
    """A 10 MB quote took 36 s and 1.6 GB to refuse: there is no near miss to look for."""
    text = (mini.root / "sources" / "004_647d14a6e936dc44.txt").read_text(encoding="utf-8")
    line = append(mini.root / STATEMENTS_004, f'  - s: jmml\n    p: prevalence\n    value: rare\n    quote: "{"x" * (len(text) + 1)}"\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 3}: the quote ({len(text) + 1:,} characters) is longer than "
                                  f"the whole of 004_647d14a6e936dc44.txt ({len(text):,})")


def test_a_pipe_among_the_statement_files_is_refused(mini, cli):
    """A FIFO named *.yaml in statements/ made the build wait for ever."""
    os.mkfifo(mini.statements_dir / "999_fifo.yaml")
    expect_build_error(cli, mini, "ontology/curation/statements/999_fifo.yaml: not a regular file (a directory, pipe or "
                                  "device): give a file")


def test_a_directory_among_the_curated_files_is_refused(mini, cli):
    """A directory named *.yaml in entities/ had been 'ABSOLUTE/PATH: Is a directory', exit 3, where
    a pipe or device so named is a curation error naming the file, exit 2."""
    (mini.entities_dir / "zz_folder.yaml").mkdir()
    expect_build_error(cli, mini, "ontology/curation/entities/zz_folder.yaml: not a regular file (a directory, pipe "
                                  "or device): give a file")


def test_an_alias_bomb_is_refused_at_once(mini, cli):
    """Aliases of aliases ("billion laughs") in a statement took 27 s and 6 GB, then a MemoryError."""
    levels = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"  - &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    append(mini.root / STATEMENTS_004, "bombs:\n" + "\n".join(levels) + "\n")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:1: the file holds more than 1,000,000 values once its aliases")


def test_malformed_file(mini, cli):
    append(mini.root / STATEMENTS_004, "  - s: jmml\n    p: [unclosed\n")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:")
    result = cli("build", root=mini.root)
    assert "malformed YAML" in result.err


def test_duplicate_key_in_yaml(mini, cli):
    line = append(mini.root / STATEMENTS_004,
                  '  - s: jmml\n    s: hsct\n    p: prevalence\n    value: rare\n    quote: "rare"\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line + 1}: duplicate key 's'")


def test_number_without_unit(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "quantity: {value: 5, unit: year}", "quantity: {value: 5}")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: number without unit")


@pytest.mark.parametrize("quantity, said", [
    ("{value: .nan, unit: year}", "nan is not a finite number"),
    ("{value: .inf, unit: year}", "inf is not a finite number"),
    ("{value: 1e999, unit: year}", "value 1E+999 does not occur in the quote"),
    ("{value: -5, unit: year}", "value -5 is negative"),
    ("{value: 50, unit: year}", "value 50 does not occur in the quote"),       # a typo: 50 for "5-year-old"
    ("{value: 500, unit: percent}", "value 500 is more than 100 percent"),
    ("{min_inclusive: 5, max_inclusive: 1, unit: year}", "does not occur in the quote"),
])
def test_a_number_the_quote_does_not_state_is_refused(mini, cli, quantity, said):
    """NaN, 1e999, -5 and 540 for "(54%)" built with exit 0, and the catalogue printed them."""
    line = replace_once(mini.root / STATEMENTS_004, "quantity: {value: 5, unit: year}", f"quantity: {quantity}")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: ")
    assert said in cli("build", root=mini.root).err


def test_bounds_in_the_wrong_order_are_refused(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "quantity: {value: 5, unit: year}\n    quote: \"A 5-year-old girl with JMML\"",
                        "quantity: {min_inclusive: 13, max_inclusive: 7, unit: year}\n"
                        "    quote: \"Seven of the 13 JMML patients (54%)\"")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: the lower bound 13 is above the upper bound 7")


def test_bare_number_for_a_quantity_property(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "quantity: {value: 5, unit: year}", "value: 5")
    expect_build_error(cli, mini, "a number for this property needs a unit")
    assert line > 0


def test_text_value_must_be_in_the_quote(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, "value: girl", "value: boy")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: text value 'boy' of patientSex must occur verbatim")


def test_a_year_must_be_an_integer_in_the_quote(mini, cli):
    """gk:studyPeriodStart is an xsd:integer (the OWL 2 datatype map has no year type) whose value
    the quote must state."""
    line = replace_once(mini.root / STATEMENTS_004, "    value: 1988\n", "    value: 1989\n")
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: studyPeriodStart value 1989 does not occur in the quote")
    replace_once(mini.root / STATEMENTS_004, "    value: 1989\n", '    value: "1988"\n')
    expect_build_error(cli, mini, f"{STATEMENTS_004}:{line}: studyPeriodStart takes an integer, got '1988'")


def test_ambiguous_quote_asks_for_start(mini, cli):
    replace_once(mini.root / STATEMENTS_004, "    start: 585\n", "")
    expect_build_error(cli, mini, "quote occurs 2 times")


def test_a_bad_quote_and_an_unknown_object_of_one_statement_are_both_named(mini, cli):
    line = replace_once(mini.root / STATEMENTS_004, '''    o: second_allogeneic_hsct
    quote: "She was successfully treated using a second transplant."''', '''    o: second_alogeneic_hsct
    quote: "She was treated using a second transplant."''')
    quote = line + 1
    result = expect_build_error(cli, mini, f"{STATEMENTS_004}:{quote}: quote not found verbatim")
    assert "unknown entity id 'second_alogeneic_hsct'" in result.err


def test_several_errors_are_reported_together(mini, cli):
    replace_once(mini.root / STATEMENTS_004, "p: studiesCondition", "p: studiesDisease")
    replace_once(mini.root / STATEMENTS_004, "value: girl", "value: boy")
    result = cli("build", root=mini.root)
    assert result.code == 2
    assert "studiesDisease" in result.err and "'boy'" in result.err


def test_library_build_writes_atomically(mini):
    release = build(mini)
    assert mini.all_ttl.read_text(encoding="utf-8") == release.outputs()[mini.all_ttl]
    leftovers = [p for p in mini.ontology_dir.iterdir() if p.name.endswith(".tmp")]
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
    """The README's "What the graph holds" is the build's summary, not a stale copy: every stale
    figure is named at once, with the text to write."""
    readme = (project.root / "README.md").read_text(encoding="utf-8")
    summary = release.summary()
    stale = []
    graphs = summary["triples_by_graph"]
    rows = [("triples in `ontology/all.ttl`", f"{summary['triples']:,} (asserted edges {graphs['asserted']:,}; "
             f"provenance {graphs['provenance']:,}; schema {graphs['schema']:,})"),
            ("entities", f"{summary['entities']:,}"),
            ("curated statements, each with source, quote and offsets", f"{summary['statements']:,}"),
            ("OWL RL inferences (`ontology/inferred.ttl`)", f"{summary['inferred_triples']:,}")]
    stale += [f"| {label} | {value}" for label, value in rows if f"| {label} | {value}" not in readme]
    stated = re.search(r"The most used predicates: (.*?) \(counted in curated", readme, re.S).group(1)
    named = dict((name, int(count)) for name, count in re.findall(r"`(\w+)` (\d+)", stated))
    stale += [f"`{p}` {summary['edges_by_predicate'].get(p, 0)}" for p, n in named.items()
              if summary["edges_by_predicate"].get(p, 0) != n]
    if min(named.values()) < sorted(summary["edges_by_predicate"].values())[-len(named)]:
        stale.append(f"the most used predicates are {list(summary['edges_by_predicate'])[:len(named)]}")
    per_source = re.search(r"Statements per source: (.*?)\n\n", readme, re.S).group(1)
    numbers = {st.source.id: st.source.number for st in release.statements}
    by_number = {numbers[source]: count for source, count in summary["statements_by_source"].items()}
    stated_sources = {n: int(c.replace(",", "")) for n, c in re.findall(r"\((\d{3})\) ([\d,]+)", per_source)}
    stale += [f"({n}) {c:,}" for n, c in sorted(by_number.items()) if stated_sources.get(n) != c]
    kinds = re.search(r"Entities by kind \(the largest\): (.*?)\n\n", readme, re.S).group(1)
    stated = {name.strip(): int(count) for name, count in re.findall(r"([a-zA-Z][a-zA-Z0-9 -]*?) (\d+)", kinds)}
    by_type = summary["entities_by_type"]
    for name, kind in [("phenotypes", "Phenotype"), ("clinical features", "ClinicalFeature"),
                       ("anatomical sites", "AnatomicalSite"), ("diagnostic tests", "DiagnosticTest"),
                       ("specialists", "Specialist"), ("drugs", "Drug"), ("foods", "Food"),
                       ("supportive care", "SupportiveCare"), ("patient groups", "PatientGroup"),
                       ("exposures", "Exposure"), ("procedures", "Procedure"), ("time periods", "TimePeriod")]:
        if stated.get(name) != by_type[kind]:
            stale.append(f"{name} {by_type[kind]}")
    assert not stale, "the README's counts to write: " + "; ".join(stale)


def test_the_stages_draw_a_progress_bar_only_when_asked(mini_built, capsys):
    from graphkit.build import COMPILE, Release, run_stages

    run_stages(Release(mini_built), COMPILE, progress=True)
    drawn = capsys.readouterr().err.split("\r")
    assert "build: reason     [####################----------] 2/3" in " ".join(drawn)
    assert drawn[-1].startswith("build: reason     [##############################] 3/3")
    run_stages(Release(mini_built), COMPILE)                     # the library's default: silent
    assert capsys.readouterr().err == ""
