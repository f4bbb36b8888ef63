"""The case forms of a place name in Serbian and Albanian text, which the gazetteer lists in the
nominative only: "у Звечану", "na Jarinju", "kod Leposavića", "në Zveçanit", "Mitrovicën e
Veriut", "kalimi i Bërnjakut".

Pure functions on *folded* names (pipeline.textnorm.fold: lower case, no diacritics, Cyrillic
kept): a name's endings are added or swapped by its last letter, the common singular endings of
both languages, not a grammar. Only one-word names of five letters or more, and Albanian "X e
Veriut"-style names, are inflected; a form that is another name stays that name's
(:class:`pipeline.match.Matcher` adds these forms for the curated places only).
"""

from __future__ import annotations

_MIN_LETTERS = 5  # shorter names have forms that are other words too often

_VOWELS = "aeiou"
# Latin script, Serbian and Albanian together (folded: "ë" and "e", "ç" and "c" are one letter)
_AFTER_CONSONANT = ("a", "u", "om", "it", "ut")  # Zvecana/Zvecanu/Zvecanom; Zvecanit; Brnjakut
# a last vowel: what takes its place (Serbian), and what follows it (Albanian)
_SWAP = {"e": ("u", "a"), "a": ("e", "u", "i", "oj", "om"), "i": ()}  # Jarinju; Banjskoj, Mitrovici
_ADD = {"e": ("s", "n"), "a": (), "i": ("t",)}  # Jarinjës/Mitrovicën ("ë"); Zveçani -> Zveçanit
# Cyrillic (Serbian)
_CYR_VOWELS = "аеиоу"
_CYR_AFTER_CONSONANT = ("а", "у", "ом")  # Звечана, Звечану, Звечаном
_CYR_SWAP = {"е": ("у", "а"), "а": ("е", "у", "и", "ој", "ом")}  # Јарињу; Бањској, Рашке
# An Albanian name of the shape "Mitrovice e Veriut": its first word declines, and "e" with it
_ALBANIAN_OF = (" e ", " i ")


# Forms that are English words
_ENGLISH = frozenset({"pristine"})


def _is_cyrillic(word: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" for ch in word)


def _word_forms(word: str) -> set[str]:
    """The case forms of one folded word (the word itself not among them)."""
    if len(word) < _MIN_LETTERS:
        return set()
    last, stem = word[-1], word[:-1]
    if _is_cyrillic(word):
        if last not in _CYR_VOWELS:
            return {word + ending for ending in _CYR_AFTER_CONSONANT}
        return {stem + ending for ending in _CYR_SWAP.get(last, ())}
    if not (word.isascii() and word.isalpha()):  # folded Latin is ASCII; other scripts have no forms here
        return set()
    if last not in _VOWELS:
        found = {word + ending for ending in _AFTER_CONSONANT}
    else:
        found = {stem + ending for ending in _SWAP.get(last, ())} | {word + ending for ending in _ADD.get(last, ())}
    return found - _ENGLISH


def forms(name: str) -> set[str]:
    """The case forms of a folded place name: of a one-word name, and of the first word of an
    Albanian "X e Y" name ("mitrovice e veriut": "mitrovicen e veriut", "mitrovices se veriut");
    other names have none here."""
    if " " not in name:
        return _word_forms(name)
    for joint in _ALBANIAN_OF:
        first, sep, rest = name.partition(joint)
        if sep and " " not in first and first.endswith("e") and len(first) >= _MIN_LETTERS and " " not in rest:
            return {f"{first}n{joint}{rest}", f"{first}s{joint}{rest}", f"{first}s s{joint[1:]}{rest}"}
    return set()
