#!/usr/bin/env bash
# Regenerates fixtures/corpus/emitted/: the build TROs and the run record our own emitters make from the real files.
#
#   npx tsc -p . && scripts/make-corpus.sh [OUT_DIR]   # needs the compiled CLI (dist/)
#
# OUT_DIR defaults to fixtures/corpus/emitted (it is replaced whole); the tests write to a temporary folder and
# compare the bytes with the committed files.
# Deterministic: every timestamp and emission context is given on the command line, so a rerun rewrites the
# same bytes (the test suite checks this). See fixtures/corpus/README.md for what each file is and what it claims.
set -euo pipefail
cd "$(dirname "$0")/.."

pe() { node bin/run.js "$@"; }
real=fixtures/corpus/real
out="${1:-fixtures/corpus/emitted}"
pedata=fixtures/pe-data/microcosm
uk_release=populace-uk-2023-dd68c73-4aa4b14-20260619T023711Z
basis='illustrative binding for the pe-trace example corpus: this pin is taken from microcosm'"'"'s current source registry; the input hashes this build actually read are not published'

rm -rf "$out"
mkdir -p "$out/build"

# 1. UK: a build TRO for the real June 2023 populace-uk release, binding three restricted inputs by hash from the
#    UK source-stage registry (two FRS 2024-25 tables, UKDS SN 9563; the WAS round 8 file, SN 7215).
pe emit build \
  --release-manifest "$real/populace/uk-june-2023/release_manifest.json" \
  --build-manifest "$real/populace/uk-june-2023/build_manifest.json" \
  --sources "$real/microcosm/source-stages/uk_source_stages.json" \
  --restricted-input "id=frs_spine.adult,basis=$basis" \
  --restricted-input "id=frs_spine.househol,basis=$basis" \
  --restricted-input "id=was_wealth.was_qrf_donor,basis=$basis" \
  --created-with pe-trace@0.1.0 \
  --emitted-in local \
  --out "$out/build/$uk_release.build.trace.tro.jsonld" >/dev/null

# 2. US: the shipped populace-us build (9f1260b) re-emitted with the IRS PUF input its TRO omits, bound by the
#    processed_puf hash of microcosm's US sources.yaml and marked restricted by a curator (the sources disagree).
pe emit build \
  --release-manifest "$real/populace/us/release_manifest.json" \
  --sources "$pedata/packages__microcosm-build__src__microcosm__build__us__spec__sources.yaml" \
  --restricted-input "id=processed_puf,location=https://www.irs.gov/statistics/soi-tax-stats-individual-public-use-microdata-files,kind=licensed_microdata,basis=curator: the IRS SOI Public Use File is obtained under an IRS data agreement and kept in the private repo policyengine/irs-soi-puf" \
  --hf-revision 4a8e7d39eb9e282397d186b4550107b1955eddc5 \
  --created-with pe-trace@0.1.0 \
  --emitted-in local \
  --out "$out/build/populace-us-2024-9f1260b-20260611.build.trace.tro.jsonld" >/dev/null

# 3. A run record on the real UK bundle TRO, reading the June 2023 populace-uk dataset (a dataset the bundle
#    manifest offers through its uk overlay). The payloads are written here by hand: no simulation was run.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/input.json" <<'JSON'
{"dataset": {"name": "populace_uk_2023", "file": "populace_uk_2023.h5", "sha256": "f17306ccb2aad7ff0130be3589b560afb2e2a12a943570911cd0c77f07934833", "year": 2023}, "dynamic": null, "scoping_strategy": null, "extra_variables": {}}
JSON
cat >"$tmp/reform.json" <<'JSON'
{"name": "Personal allowance 15000", "parameter_values": [{"parameter": "gov.hmrc.income_tax.allowances.personal_allowance.amount", "value": 15000, "start_date": "2026-01-01", "end_date": null}]}
JSON
cat >"$tmp/results.json" <<'JSON'
{"note": "illustrative payload for the pe-trace example corpus: no simulation was run", "budgetary_impact": null}
JSON
pe record \
  --bundle-tro "$real/policyengine-py/data/bundle/uk.trace.tro.jsonld" \
  --input "$tmp/input.json" --reform "$tmp/reform.json" --results "$tmp/results.json" \
  --simulation-id uk-example-1 --created-at 2026-07-01T00:00:00Z --emitted-in local \
  --out "$out/run-record-uk" --force >/dev/null

echo "wrote $(find "$out" -type f | wc -l) files under $out"
