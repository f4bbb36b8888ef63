"""Constant-memory bookkeeping for ``build``: candidates and report entries of any number of
articles, kept compact in memory or spilled to temporary files, then merged and read back in
output order.

- :class:`CandidateStore` keeps, per candidate, a few integers in arrays (place/type key, date
  window as ordinals, precision, article number, offset) and spills its ``Source`` to a file.
- :meth:`CandidateStore.merge` is ``pipeline.merge.merge`` for the stored candidates: the same
  groups, clusters, ids, windows and order (``tests/test_store.py`` checks it against
  ``merge`` itself), but without its quadratic cluster search: candidates are visited by start
  date, so a cluster whose latest end is before the current start can take no one any more.
- :class:`EntrySpill` holds report.json's per-input entries in a file until the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import struct
from array import array
from collections.abc import Iterator
from pathlib import Path

from pipeline.export import Row, json_indented
from pipeline.extract import Candidate, Dropped
from pipeline.model import DateWindow, Incident, Place, Source

_SOURCE_FIELDS = ("article_id", "title", "outlet", "published", "url", "quote", "mention", "char_start", "char_end")
_SOURCE_KEYS = tuple(json.encoder.encode_basestring(f) for f in _SOURCE_FIELDS[:5])  # the article's
assert _SOURCE_FIELDS[5:] == ("quote", "mention", "char_start", "char_end")  # then the mention's


def _value(v: object) -> str:
    """A source field as json.dumps(ensure_ascii=False) writes it."""
    if type(v) is str:
        return json.encoder.encode_basestring(v)
    if v is None:
        return "null"
    if type(v) is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False)


class _Spill:
    """An append-only file of records of a few strings, read back by offset (UTF-8, lone
    surrogates passed through so any text survives the trip)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out = open(path, "w+b")  # noqa: SIM115 - read back with os.pread; closed in close()
        self._size = 0
        self._flushed = 0

    def append(self, *fields: str) -> tuple[int, int]:
        data = [f.encode("utf-8", "surrogatepass") for f in fields]
        record = struct.pack(f"<{len(data)}I", *map(len, data)) + b"".join(data)
        self._out.write(record)
        at = self._size
        self._size += len(record)
        return at, len(record)

    def read(self, at: int, size: int, count: int) -> list[str]:
        # os.pread, not mmap: mapped pages would count as this process's resident memory
        if self._flushed < self._size:
            self._out.flush()
            self._flushed = self._size
        record = os.pread(self._out.fileno(), size, at)
        lengths = struct.unpack_from(f"<{count}I", record)
        out, pos = [], 4 * count
        for n in lengths:
            out.append(record[pos : pos + n].decode("utf-8", "surrogatepass"))
            pos += n
        return out

    def close(self) -> None:
        self._out.close()
        self.path.unlink(missing_ok=True)


class CandidateStore:
    """Candidates of every article, in the order they were added, a few bytes each in memory."""

    def __init__(self, folder: Path) -> None:
        self._sources = _Spill(Path(folder) / "sources.jsonl")
        self._keys: dict[tuple[str, str, str], int] = {}
        self.key_list: list[tuple[str, str, str]] = []
        self.key_place: list[Place] = []  # the place of each key (merge takes a cluster's first's)
        # one entry per candidate
        self.key = array("i")
        self.start = array("i")  # date ordinals, 0: undated
        self.end = array("i")
        self.day = array("i")  # event_date, 0: none
        self.precision = array("b")
        self.lasting = array("b")  # DateWindow.lasting: 1 how long it lasted, 0 the days left open
        self.geo = array("b")
        self.article = array("i")  # article number (see add_article)
        self.char_start = array("q")
        self.at = array("q")  # the spilled Source
        self.size = array("i")
        # one entry per article
        self.article_ids: list[str] = []
        self.published: list[str | None] = []
        self.first = array("i")  # its first candidate

    def __len__(self) -> int:
        return len(self.key)

    def add_article(self, article_id: str, published: str | None, candidates: tuple[Candidate, ...]) -> int:
        """Store one article's candidates; returns the article's number."""
        number = len(self.article_ids)
        self.article_ids.append(article_id)
        self.published.append(published)
        self.first.append(len(self.key))
        last_head = None
        for c in candidates:
            k = (c.place.place_id, c.event_type, c.sub_event_type)
            ki = self._keys.get(k)
            if ki is None:
                ki = self._keys[k] = len(self.key_list)
                self.key_list.append(k)
                self.key_place.append(c.place)
            elif c.place != self.key_place[ki]:
                raise ValueError(f"two different places are called {c.place.place_id!r}")
            if c.source.article_id != article_id or c.source.published != published:
                raise ValueError("a candidate's source must be its article")
            w = c.when
            self.key.append(ki)
            self.start.append(w.start.toordinal() if w.start else 0)
            self.end.append(w.end.toordinal() if w.end else 0)
            self.day.append(w.event_date.toordinal() if w.event_date else 0)
            self.precision.append(w.precision)
            self.lasting.append(w.lasting)
            self.geo.append(c.geo_precision)
            self.article.append(number)
            self.char_start.append(c.source.char_start)
            src = c.source
            # as export.feature writes it in GeoJSON, and as the GeoPackage's sources column does:
            # json.dumps of the source's dict, with (",", ":") and with the default separators.
            # The article's fields come first and are the same for all its candidates: once.
            head = (src.article_id, src.title, src.outlet, src.published, src.url)
            if head != last_head:
                last_head = head
                values = [_value(v) for v in head]
                geo_head = "{" + ",".join(k + ":" + v for k, v in zip(_SOURCE_KEYS, values)) + ","
                gpkg_head = "{" + ", ".join(k + ": " + v for k, v in zip(_SOURCE_KEYS, values)) + ", "
            quote, mention = _value(src.quote), _value(src.mention)
            cs, ce = _value(src.char_start), _value(src.char_end)
            at, size = self._sources.append(
                f'{geo_head}"quote":{quote},"mention":{mention},"char_start":{cs},"char_end":{ce}}}',
                f'{gpkg_head}"quote": {quote}, "mention": {mention}, "char_start": {cs}, "char_end": {ce}}}',
                src.outlet, src.quote,
            )
            self.at.append(at)
            self.size.append(size)
        return number

    def spilled(self, i: int) -> list[str]:
        """Candidate ``i``'s source: [GeoJSON text, GeoPackage text, outlet, quote]."""
        return self._sources.read(self.at[i], self.size[i], 4)

    def source(self, i: int) -> Source:
        return Source(**json.loads(self.spilled(i)[1]))

    def close(self) -> None:
        self._sources.close()

    def merge(self) -> Merged:
        """``pipeline.merge.merge`` of every stored candidate (see the module docstring)."""
        groups: dict[int, array] = {}
        for i, k in enumerate(self.key):
            g = groups.get(k)
            if g is None:
                g = groups[k] = array("i")
            g.append(i)
        merged = Merged(self)
        for k in sorted(groups, key=self.key_list.__getitem__):
            self._merge_group(k, groups.pop(k), merged)
        merged.finish()
        return merged

    def _merge_group(self, k: int, members: array, merged: Merged) -> None:
        start, end, article, cs, aids = self.start, self.end, self.article, self.char_start, self.article_ids
        order = sorted(members, key=lambda i: (start[i] == 0, start[i], aids[article[i]], cs[i]))
        # merge's rule: a candidate joins the first cluster (in creation order) that has no report
        # from its article and whose every window overlaps its own, or, for an undated
        # candidate, that is undated. So clusters are all dated or all undated. Dated candidates
        # come by start, so no member starts after the candidate: it overlaps them all iff the
        # cluster's earliest end is not before its start, and once that end is before, it is
        # before every later start too (the cluster is dead: dropped from the search, which
        # keeps the search short).
        live: list[tuple[list[int], set[int], list[int]]] = []  # (members, articles, [min end])
        undated: list[tuple[list[int], set[int]]] = []
        clusters: list[list[int]] = []
        for i in order:
            a = article[i]
            if start[i]:
                s = start[i]
                live = [c for c in live if c[2][0] >= s]
                for mem, arts, top in live:
                    if a not in arts:
                        mem.append(i)
                        arts.add(a)
                        top[0] = min(top[0], end[i])
                        break
                else:
                    mem = [i]
                    live.append((mem, {a}, [end[i]]))
                    clusters.append(mem)
            else:
                for mem, arts in undated:
                    if a not in arts:
                        mem.append(i)
                        arts.add(a)
                        break
                else:
                    mem = [i]
                    undated.append((mem, {a}))
                    clusters.append(mem)
        place_id, event_type, sub = self.key_list[k]
        for cluster in clusters:
            merged.add(k, self._incident_id(place_id, event_type, sub, cluster), self._window(cluster),
                       min(self.geo[i] for i in cluster), cluster)

    def _incident_id(self, place_id: str, event_type: str, sub: str, cluster: list[int]) -> str:
        """``merge.incident_id``: a hash of the place, type and source offsets."""
        aids, article, cs = self.article_ids, self.article, self.char_start
        key = "|".join([place_id, event_type, sub] + sorted(f"{aids[article[i]]}:{cs[i]}" for i in cluster))
        return "inc_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]

    def _window(self, cluster: list[int]) -> tuple[int, int, int, int, bool]:
        """``merge._merged_window`` as (event day, start, end, precision, lasting): ordinals
        (0: none), the precision and whether the days are how long it lasted."""
        start, end, day, precision = self.start, self.end, self.day, self.precision
        dated = [i for i in cluster if start[i]]
        if not dated:
            i = cluster[0]
            return day[i], start[i], end[i], precision[i], bool(self.lasting[i])
        lasting = [i for i in dated if self.lasting[i]]
        dated = lasting or dated
        s = max(start[i] for i in dated)
        e = min(end[i] for i in dated)
        best = min(dated, key=lambda i: (precision[i], end[i] - start[i]))
        d = day[best] if day[best] and s <= day[best] <= e else s
        p = 1 if s == e else min(max(precision[best], 2), 3)
        return d, s, e, p, bool(lasting) and s < e


class Merged:
    """The incidents of a :class:`CandidateStore`, a few integers each, in output order."""

    def __init__(self, store: CandidateStore) -> None:
        self.store = store
        self.key = array("i")
        self.day = array("i")
        self.start = array("i")
        self.end = array("i")
        self.precision = array("b")
        self.lasting = array("b")
        self.geo = array("b")
        self.ids: list[str] = []
        self.member_at = array("q", [0])  # members of incident n: members[member_at[n]:member_at[n+1]]
        self.members = array("i")
        self.incident_of = array("i", bytes(array("i").itemsize * len(store)))  # per candidate
        self.order: list[int] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, key: int, incident_id: str, window: tuple[int, int, int, int, bool], geo: int, cluster: list[int]) -> None:
        n = len(self.ids)
        self.ids.append(incident_id)
        self.key.append(key)
        d, s, e, p, lasting = window
        self.day.append(d)
        self.start.append(s)
        self.end.append(e)
        self.precision.append(p)
        self.lasting.append(lasting)
        self.geo.append(geo)
        st = self.store
        # merge sorts an incident's sources by (published, article id, offset)
        for i in sorted(cluster, key=lambda i: (st.published[st.article[i]] or "", st.article_ids[st.article[i]], st.char_start[i])):
            self.members.append(i)
            self.incident_of[i] = n
        self.member_at.append(len(self.members))

    def finish(self) -> None:
        # merge's final order: (undated, event date, place id, incident id), stable
        keys = self.store.key_list
        self.order = sorted(range(len(self.ids)), key=lambda n: (
            self.day[n] == 0, self.day[n], keys[self.key[n]][0], self.ids[n]))

    @property
    def undated(self) -> int:
        return sum(1 for s in self.start if s == 0)

    def incidents(self) -> Iterator[Incident]:
        """Every incident, in output order, read back from the spilled sources."""
        st = self.store
        for n in self.order:
            _, event_type, sub = st.key_list[self.key[n]]
            sources = tuple(st.source(i) for i in self.members[self.member_at[n] : self.member_at[n + 1]])
            yield Incident(
                incident_id=self.ids[n], place=st.key_place[self.key[n]],
                when=DateWindow(_date(self.day[n]), _date(self.start[n]), _date(self.end[n]), self.precision[n],
                                lasting=bool(self.lasting[n])),
                event_type=event_type, sub_event_type=sub, geo_precision=self.geo[n], sources=sources,
            )

    def rows(self) -> Iterator[Row]:
        """Every incident ready to write (``export.row`` of :meth:`incidents`), in output order,
        put together from the sources' JSON texts spilled when they were stored."""
        st = self.store
        keys: dict[int, tuple] = {}  # what an incident's place and type make of it, once a key
        isos: dict[int, str | None] = {0: None}
        ids, day_, start_, end_, precision_, geo_ = self.ids, self.day, self.start, self.end, self.precision, self.geo
        lasting_ = self.lasting
        member_at, members_, article, article_ids = self.member_at, self.members, st.article, st.article_ids
        for n in self.order:
            k = self.key[n]
            known = keys.get(k)
            if known is None:
                place = st.key_place[k]
                _, event_type, sub = st.key_list[k]
                # the feature's start: export.feature's geometry
                geometry = {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]}
                head = ('{"type":"Feature","geometry":' + json.dumps(geometry, ensure_ascii=False, separators=(",", ":"))
                        + ',"properties":')
                known = keys[k] = (head, place, event_type, sub, f"{place.lat:.6f}", f"{place.lon:.6f}")
            head, place, event_type, sub, lat6, lon6 = known
            dates = []
            for o in (day_[n], start_[n], end_[n]):
                iso = isos.get(o, 0)
                if iso == 0:
                    iso = isos[o] = dt.date.fromordinal(o).isoformat()
                dates.append(iso)
            day, start, end = dates
            precision, geo, incident_id = precision_[n], geo_[n], ids[n]
            props = {
                "incident_id": incident_id, "event_date": day, "date_start": start, "date_end": end,
                "time_precision": precision, "lasting": bool(lasting_[n]), "event_type": event_type, "sub_event_type": sub,
                "place_id": place.place_id, "location": place.name, "admin2": place.admin2,
                "country": place.country, "geo_precision": geo,
            }
            members = members_[member_at[n] : member_at[n + 1]]
            spilled = [st.spilled(i) for i in members]
            aids = [article_ids[article[i]] for i in members]
            count = len(members)
            line = (head + _compact(props)[:-1]
                    + ',"sources":[' + ",".join([s[0] for s in spilled]) + '],"source_count":'
                    + str(count) + "}}")
            csv = [
                incident_id, day or "", start or "", end or "", precision, event_type, sub,
                place.country, place.admin2, place.name, place.place_id, lat6, lon6, geo, count,
                "; ".join(dict.fromkeys([s[2] or a for s, a in zip(spilled, aids)])),
                " ".join(aids), " | ".join([s[3] for s in spilled]),
            ]
            props["sources"] = "[" + ", ".join([s[1] for s in spilled]) + "]"
            props["source_count"] = count
            yield Row(line, csv, props, place.lon, place.lat)

    def article_incidents(self, article: int) -> list[str]:
        """The ids of the incidents an article reports, sorted (report.json's ``incidents``)."""
        st = self.store
        first = st.first[article]
        last = st.first[article + 1] if article + 1 < len(st.first) else len(st)
        return sorted({self.ids[self.incident_of[i]] for i in range(first, last)})


def _compact_encoder():
    """``json.dumps(o, ensure_ascii=False, separators=(",", ":"))``, the C encoder called
    directly (building a JSONEncoder for every call costs more than the encoding)."""
    from json.encoder import c_make_encoder

    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    run = c_make_encoder(None, None, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda o: "".join(run(o, 0))


_compact = _compact_encoder()


def _date(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal else None


def _iso(ordinal: int) -> str | None:
    return dt.date.fromordinal(ordinal).isoformat() if ordinal else None


class EntrySpill:
    """report.json's per-input entries, each rendered once as it will be written (indented as
    ``json.dumps(report, indent=2)`` writes it, two levels deep) and kept in a file until the
    report is written. An article's ``incidents`` are known only after the merge: its entry
    holds the article's number there, and its text a gap that the list fills."""

    def __init__(self, folder: Path) -> None:
        self._spill = _Spill(Path(folder) / "inputs.bin")
        self.count = 0
        self._at = array("q")
        self._size = array("i")
        self._article = array("i")  # the article number of an "ok" entry, else -1

    def append(self, entry: dict) -> int:
        """Store an entry; returns its number. An "ok" entry's ``incidents`` is its article's number."""
        article = entry["incidents"] if entry.get("status") == "ok" else -1
        if article >= 0:
            text = entry_text(dict(entry, incidents=_GAP))
            gap = text.index(_GAP_KEY)  # one raw line break starts it: nothing else can look like it
            before, after = text[: gap + len(_GAP_KEY) - len(_GAP_TEXT)], text[gap + len(_GAP_KEY):]
        else:
            before, after = entry_text(entry), ""
        at, size = self._spill.append(entry["path"], before, after)
        self._at.append(at)
        self._size.append(size)
        self._article.append(article)
        self.count += 1
        return self.count - 1

    def path_of(self, number: int) -> str:
        return self._spill.read(self._at[number], self._size[number], 3)[0]

    def write_inputs(self, fh, article_incidents) -> None:
        """The report's "inputs" list (what follows ``"inputs": ``), every entry in order;
        ``article_incidents(n)`` gives article ``n``'s sorted incident ids."""
        if not self.count:
            fh.write("[]")
            return
        sep = "["
        for n in range(self.count):
            _, before, after = self._spill.read(self._at[n], self._size[n], 3)
            if self._article[n] >= 0:
                before += _id_list(article_incidents(self._article[n])) + after
            fh.write(sep + "\n    " + before)
            sep = ","
        fh.write("\n  ]")

    def close(self) -> None:
        self._spill.close()


class _Gap(str):
    """Stands for the incidents list while an entry is rendered (a str subclass: never on
    a fast path, so it reaches the generic encoder, which writes it as this text)."""


_ENCODE = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes a str as
_I3, _I4, _I5 = "\n" + " " * 6, "\n" + " " * 8, "\n" + " " * 10
_GAP = _Gap("incidents go here")
_GAP_TEXT = _ENCODE(_GAP)
_GAP_KEY = _I3 + '"incidents": ' + _GAP_TEXT


def _id_list(ids: list[str]) -> str:
    """A list of strings as the report writes it three levels deep."""
    if not ids:
        return "[]"
    return "[" + _I4 + ("," + _I4).join(map(_ENCODE, ids)) + _I3 + "]"


def entry_text(entry: dict) -> str:
    """``json_indented(entry, 2)``, faster for the entries ``build`` makes: a dict of strings,
    ints, None, lists of strings and the ``dropped`` list of flat objects."""
    parts = []
    for k, v in entry.items():
        t = type(v)
        if t is str:
            text = _ENCODE(v)
        elif v is None:
            text = "null"
        elif t is int:
            text = int.__repr__(v)
        elif t is tuple and k == "dropped" and all(type(d) is Dropped for d in v):
            text = _dropped_records(v) if v else "[]"
        elif t is list and all(type(x) is str for x in v):
            text = _id_list(v)
        else:
            text = json_indented(v, 3)
        parts.append(_ENCODE(k) + ": " + text)
    return "{" + _I3 + ("," + _I3).join(parts) + "\n    }" if parts else "{}"


_DROPPED_TEXT = ("{" + _I5 + '"mention": %s,' + _I5 + '"place_id": %s,' + _I5 + '"char_start": %s,'
                 + _I5 + '"char_end": %s,' + _I5 + '"reason": %s' + _I4 + "}")
_encoded: dict[str, str] = {}  # place ids and reasons: few, repeated


def _cached(v: str) -> str:
    e = _encoded.get(v)
    if e is None:
        if len(_encoded) > 100_000:
            _encoded.clear()
        e = _encoded[v] = _ENCODE(v)
    return e


def _dropped_records(items: tuple[Dropped, ...]) -> str:
    """Extract's dropped-mention records as report.json lists them, each as the object
    ``{"mention", "place_id" (null when empty), "char_start", "char_end", "reason"}``."""
    return "[" + _I4 + ("," + _I4).join([
        _DROPPED_TEXT % (_ENCODE(d.mention), _cached(d.place_id) if d.place_id else "null",
                         int.__repr__(d.char_start), int.__repr__(d.char_end), _cached(d.reason))
        for d in items
    ]) + _I3 + "]"


def dropped_object(d: Dropped) -> dict:
    """A dropped mention as report.json holds it (what ``_dropped_records`` writes)."""
    return {"mention": d.mention, "place_id": d.place_id or None, "char_start": d.char_start,
            "char_end": d.char_end, "reason": d.reason}
