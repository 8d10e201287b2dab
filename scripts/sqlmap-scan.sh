#!/usr/bin/env bash
# Injection scan (issue 7): runs sqlmap with a valid session (cookie + X-CSRF-Token) against the
# search and list endpoints of a throw-away Notbetrieb server and fails if sqlmap finds an injection.
#
#   scripts/sqlmap-scan.sh                 SQLite in a temporary data directory
#   DATABASE_URL=postgres://…/empty_db scripts/sqlmap-scan.sh     against an EMPTY PostgreSQL database
#   SQLMAP_LEVEL=5 SQLMAP_RISK=3 scripts/sqlmap-scan.sh           deeper (slower) scan
#
# Targets: POST /api/cases/search (JSON body, every field), GET /api/cases/:id (path),
# GET /api/authorities?kreis= (query). Not part of CI (takes minutes). See docs/SECURITY.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LEVEL="${SQLMAP_LEVEL:-3}"
RISK="${SQLMAP_RISK:-2}"
WORK="$(mktemp -d -t nb-sqlmap-XXXXXX)"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v sqlmap >/dev/null 2>&1; then
  echo "sqlmap fehlt – wird mit apt-get installiert (Debian-Paket sqlmap) …"
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqlmap
fi
echo "sqlmap $(sqlmap --version 2>/dev/null | grep -Eo "[0-9]+\.[0-9][0-9.]*" | head -1), level ${LEVEL}, risk ${RISK}"

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:${PORT}"
export LOG_LEVEL=warn
if [[ -n "${DATABASE_URL:-}" ]]; then
  DBNAME="PostgreSQL"
  DBMS="PostgreSQL"
else
  export DATA_DIR="$WORK/data"
  DBNAME="SQLite"
  DBMS="SQLite"
fi

# Database with the demo authorities and one clerk with an active session (as the tests do).
cat > "$WORK/prepare.mts" <<TS
import { seedDemoAuthorities } from '${ROOT}/src/core/authorities/seed.js';
import { openDatabase } from '${ROOT}/src/server/db/database.js';
import { migrateToLatest } from '${ROOT}/src/server/db/migrate.js';
import { sessionUserIn } from '${ROOT}/test/harness.js';
const handle = openDatabase(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR });
await migrateToLatest(handle.db);
await seedDemoAuthorities(handle.db, new Date());
const u = await sessionUserIn(handle, [
  { ags: '05970040', office: 'meldebehoerde' },
  { ags: '05966024', office: 'meldebehoerde' },
]);
await handle.close();
console.log(JSON.stringify(u.headers));
TS
HEADERS_JSON="$(cd "$ROOT" && node --import tsx "$WORK/prepare.mts" 2>/dev/null | tail -1)"
COOKIE="$(node -e "console.log(JSON.parse(process.argv[1]).cookie)" "$HEADERS_JSON")"
CSRF="$(node -e "console.log(JSON.parse(process.argv[1])['x-csrf-token'])" "$HEADERS_JSON")"

(cd "$ROOT" && exec node --import tsx src/cli/main.ts serve --port "$PORT" --host 127.0.0.1 >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -sf "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$BASE/healthz" >/dev/null || { echo "Server startet nicht:"; cat "$WORK/server.log"; exit 2; }

# Two cases, so that list, search and read answer with real rows.
CASE_ID=""
for town in 05970040 05966024; do
  body='{"procedureId":"verlustanzeige","authorityAgs":"'"$town"'","data":{"person":{"familienname":"Müßig","vornamen":"Jürgen Özgür","geburtsdatum":"1964-08-12","geburtsort":"Siegen","strasse":"Weidenauer Straße 12","plz":"57076","wohnort":"Siegen"},"dokument":{"art":"personalausweis","nummer":"T220001293"},"verlust":{"art":"gestohlen","datum":"2026-11-20","ort":"Bahnhof Siegen"},"polizei":{"angezeigt":true,"dienststelle":"Polizeiwache Siegen","aktenzeichen":"ST/1234/26"}}}'
  id="$(curl -sf -X POST "$BASE/api/cases" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
    -H "Idempotency-Key: $(node -e 'console.log(crypto.randomUUID())')" -H 'Content-Type: application/json' \
    --data "$body" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).id))")"
  CASE_ID="${CASE_ID:-$id}"
done
[[ -n "$CASE_ID" ]] || { echo "Vorbereitung fehlgeschlagen: kein Vorgang angelegt"; exit 2; }
count_cases() {
  curl -sf -X POST "$BASE/api/cases/search" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' --data '{}' | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).total))"
}
BEFORE="$(count_cases)"

COMMON=(--batch --disable-coloring --flush-session --level="$LEVEL" --risk="$RISK" --dbms="$DBMS"
  --output-dir="$WORK/out" --cookie="$COOKIE" --headers="X-CSRF-Token: $CSRF" --time-sec=3 --timeout=20
  --retries=1 --threads=2
  # The session cookie is the login, not a query parameter: tampering with it only logs out (401).
  --skip=nb_session)

declare -A RESULTS
scan() {
  local name="$1"; shift
  echo
  echo "=== $name ==="
  local log="$WORK/${name//[^A-Za-z0-9]/_}.log"
  sqlmap "${COMMON[@]}" "$@" >"$log" 2>&1 || true
  grep -E "do not appear to be injectable|does not seem to be injectable|is vulnerable|identified the following injection|might be injectable|CRITICAL|HTTP error codes|[0-9]+ times|total of [0-9]+ HTTP" "$log" | sed 's/^/  /' | head -40
  if grep -qE "identified the following injection point|is vulnerable" "$log"; then
    RESULTS["$name"]="INJEKTION GEFUNDEN"
  elif grep -q "do not appear to be injectable" "$log"; then
    RESULTS["$name"]="keine Injektion"
  else
    RESULTS["$name"]="unklar (siehe Protokoll)"
    tail -20 "$log" | sed 's/^/  | /'
  fi
}

scan "POST /api/cases/search" -u "$BASE/api/cases/search" --method=POST \
  --data='{"q":"müßig","status":"erfasst","procedureId":"verlustanzeige","authorityAgs":"05970040","officeType":"meldebehoerde","sort":"created_at","order":"desc"}' \
  --headers="X-CSRF-Token: $CSRF
Content-Type: application/json"
scan "GET /api/cases/:id" -u "$BASE/api/cases/${CASE_ID}*"
scan "GET /api/authorities?kreis=" -u "$BASE/api/authorities?kreis=05970000" -p kreis

AFTER="$(count_cases)"
echo
echo "Ergebnis (${DBNAME}, level ${LEVEL}, risk ${RISK}):"
FAILED=0
for k in "${!RESULTS[@]}"; do
  echo "  $k: ${RESULTS[$k]}"
  [[ "${RESULTS[$k]}" == "keine Injektion" ]] || FAILED=1
done
echo "  Vorgänge vor/nach dem Scan: $BEFORE / $AFTER"
curl -sf "$BASE/healthz" >/dev/null && echo "  Server läuft nach dem Scan weiter." || { echo "  Server antwortet nicht mehr!"; FAILED=1; }
[[ "$BEFORE" == "$AFTER" ]] || { echo "  Datenbestand hat sich verändert!"; FAILED=1; }
exit $FAILED
