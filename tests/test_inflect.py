from __future__ import annotations

from pipeline.inflect import forms


def test_the_case_forms_of_serbian_and_albanian_names():
    assert {"zvecanu", "zvecana", "zvecanit"} <= forms("zvecan")  # u Zvečanu, iz Zvečana; në Zveçanit
    assert {"jarinju", "jarinjes"} <= forms("jarinje")  # na Jarinju; e Jarinjës
    assert {"banjskoj", "banjske"} <= forms("banjska")
    assert "brnjakut" in forms("brnjak")  # kalimi i Bërnjakut
    assert {"звечану", "звечана"} <= forms("звечан") and "јарињу" in forms("јариње")
    assert forms("mitrovice e veriut") == {"mitrovicen e veriut", "mitrovices e veriut", "mitrovices se veriut"}
    # short names, other multi-word names, other scripts, and English words: none
    assert forms("dren") == forms("zubin potok") == forms("普里士提納") == set()
    assert "pristine" not in forms("pristina") and "pristinu" in forms("pristina")


def test_a_curated_places_case_forms_are_found_written_as_names(matcher):
    found = {m.text: m.place_id for m in matcher.find(
        "Протест у Звечану. Policia në Zveçanit dhe në Mitrovicën e Veriut; kalimi i Bërnjakut; "
        "incident na Jarinju kod Leposavića, u Zvečanu i Banjskoj.")[0]}
    assert found == {"Звечану": "zvecan", "Zveçanit": "zvecan", "Mitrovicën e Veriut": "north_mitrovica",
                     "Bërnjakut": "brnjak_crossing", "Jarinju": "jarinje_crossing", "Leposavića": "leposavic",
                     "Zvečanu": "zvecan", "Banjskoj": "banjska"}  # (a GeoNames homonym has no forms)
    # not in lower case, and not where the form is an English word
    assert matcher.find("the zvecanu road; a pristine valley; Pristine beaches")[0] == []
